package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.byIds;
import static io.k0rdent.ops.sandbox.ec2.Describes.find;
import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Association;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InternetGateway;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Route;
import io.k0rdent.ops.sandbox.ec2.Ec2State.RouteTable;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Subnet;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Vpc;
import java.util.List;
import java.util.function.Function;

/**
 * Route tables, their routes (to an internet gateway or a NAT gateway) and subnet associations, as EC2 answers them
 * (API reference: "CreateRoute", "ReplaceRoute", "AssociateRouteTable", "DeleteRouteTable", "Route").
 */
final class RouteTableActions {

    private static final String OWNER_ID = Ec2Actions.OWNER_ID;

    private final Ec2State state;
    private final Function<String, String> newId;
    private final NatGatewayActions natGateways;

    RouteTableActions(Ec2State state, Function<String, String> newId, NatGatewayActions natGateways) {
        this.state = state;
        this.newId = newId;
        this.natGateways = natGateways;
    }

    void createRouteTable(QueryRequest request, XmlOut out, List<String> created) {
        Vpc vpc = find(state.vpcs, request.required("VpcId"), "InvalidVpcID.NotFound");
        RouteTable table = new RouteTable(newId.apply("rtb"), vpc.id, false);
        table.routes.add(new Route(vpc.cidr.toString(), "local"));
        table.tags.putAll(request.tagSpecifications("route-table"));
        state.routeTables.put(table.id, table);
        created.add(table.id);
        out.start("routeTable");
        writeRouteTable(out, table);
        out.end();
    }

    void createRoute(QueryRequest request, XmlOut out) {
        RouteTable table = find(state.routeTables, request.required("RouteTableId"), "InvalidRouteTableID.NotFound");
        String destination = Cidr.parse(request.required("DestinationCidrBlock")).toString();
        Route wanted = routeTarget(request, table, destination);
        for (Route route : table.routes) {
            if (route.destinationCidrBlock().equals(destination)) {
                if (route.equals(wanted)) {
                    out.text("return", true);
                    return;
                }
                throw Ec2Error.client("RouteAlreadyExists", "The route identified by " + destination
                        + " already exists.");
            }
        }
        table.routes.add(wanted);
        out.text("return", true);
    }

    /** Points an existing route at another target; EC2 answers {@code InvalidRoute.NotFound} when there is none. */
    void replaceRoute(QueryRequest request, XmlOut out) {
        RouteTable table = find(state.routeTables, request.required("RouteTableId"), "InvalidRouteTableID.NotFound");
        String destination = Cidr.parse(request.required("DestinationCidrBlock")).toString();
        Route wanted = routeTarget(request, table, destination);
        for (int i = 0; i < table.routes.size(); i++) {
            Route route = table.routes.get(i);
            if (route.destinationCidrBlock().equals(destination) && !"local".equals(route.gatewayId())) {
                table.routes.set(i, wanted);
                out.text("return", true);
                return;
            }
        }
        throw Ec2Error.client("InvalidRoute.NotFound", "There is no route defined for '" + destination
                + "' in the route table. Use CreateRoute instead.");
    }

    /**
     * DeleteRoute: removes the table's route for the destination; a destination without a route is
     * {@code InvalidRoute.NotFound}, as for ReplaceRoute. The local route cannot be removed (VPC User Guide, "Route
     * tables": the local route "cannot be deleted"); the error code for trying is not documented, this twin answers
     * {@code InvalidParameterValue}.
     */
    void deleteRoute(QueryRequest request, XmlOut out) {
        RouteTable table = find(state.routeTables, request.required("RouteTableId"), "InvalidRouteTableID.NotFound");
        String destination = Cidr.parse(request.required("DestinationCidrBlock")).toString();
        Route route = table.routes.stream().filter(r -> r.destinationCidrBlock().equals(destination)).findFirst()
                .orElseThrow(() -> Ec2Error.client("InvalidRoute.NotFound", "no route with destination-cidr-block "
                        + destination + " in route table " + table.id));
        if ("local".equals(route.gatewayId())) {
            throw Ec2Error.client("InvalidParameterValue", "cannot remove local route " + destination
                    + " in route table " + table.id);
        }
        table.routes.remove(route);
        out.text("return", true);
    }

    /** The route a CreateRoute/ReplaceRoute asks for: exactly one target, in the table's VPC. */
    private Route routeTarget(QueryRequest request, RouteTable table, String destination) {
        String gatewayId = request.get("GatewayId");
        String natGatewayId = request.get("NatGatewayId");
        if ((gatewayId == null) == (natGatewayId == null)) {
            throw Ec2Error.client("InvalidParameterCombination", "The parameter combination is not valid: give "
                    + "exactly one route target (this emulator models gatewayId and natGatewayId).");
        }
        if (natGatewayId != null) {
            if (!natGateways.exists(natGatewayId)) {
                throw Ec2Error.notFound("InvalidNatGatewayID.NotFound", natGatewayId);
            }
            if (!table.vpcId.equals(natGateways.vpcOf(natGatewayId))) {
                throw Ec2Error.client("InvalidParameterValue", "route table " + table.id + " and NAT gateway "
                        + natGatewayId + " belong to different networks");
            }
            return Route.toNatGateway(destination, natGatewayId);
        }
        InternetGateway gateway = find(state.internetGateways, gatewayId, "InvalidInternetGatewayID.NotFound");
        if (!table.vpcId.equals(gateway.attachedVpcId)) {
            throw Ec2Error.client("InvalidParameterValue", "route table " + table.id + " and network gateway "
                    + gatewayId + " belong to different networks");
        }
        return new Route(destination, gatewayId);
    }

    void associateRouteTable(QueryRequest request, XmlOut out) {
        RouteTable table = find(state.routeTables, request.required("RouteTableId"), "InvalidRouteTableID.NotFound");
        Subnet subnet = find(state.subnets, request.required("SubnetId"), "InvalidSubnetID.NotFound");
        if (!subnet.vpcId.equals(table.vpcId)) {
            throw Ec2Error.client("InvalidParameterValue", "Route table " + table.id + " and subnet " + subnet.id
                    + " belong to different networks");
        }
        for (RouteTable other : state.routeTables.values()) {
            for (Association association : other.associations) {
                if (subnet.id.equals(association.subnetId())) {
                    if (other == table) {
                        out.text("associationId", association.id()).start("associationState")
                                .text("state", "associated").end();
                        return;
                    }
                    throw Ec2Error.client("Resource.AlreadyAssociated", "the specified association for route table "
                            + other.id + " conflicts with an existing association");
                }
            }
        }
        Association association = new Association(newId.apply("rtbassoc"), subnet.id, false);
        table.associations.add(association);
        out.text("associationId", association.id()).start("associationState").text("state", "associated").end();
    }

    void disassociateRouteTable(QueryRequest request, XmlOut out) {
        String associationId = request.required("AssociationId");
        for (RouteTable table : state.routeTables.values()) {
            if (table.associations.removeIf(a -> a.id().equals(associationId) && !a.main())) {
                out.text("return", true);
                return;
            }
        }
        throw Ec2Error.notFound("InvalidAssociationID.NotFound", associationId);
    }

    void deleteRouteTable(QueryRequest request, XmlOut out) {
        RouteTable table = find(state.routeTables, request.required("RouteTableId"), "InvalidRouteTableID.NotFound");
        if (table.main || !table.associations.isEmpty()) {
            throw Ec2Error.dependencyViolation("The routeTable '" + table.id
                    + "' has dependencies and cannot be deleted.");
        }
        state.routeTables.remove(table.id);
        out.text("return", true);
    }

    void describeRouteTables(QueryRequest request, XmlOut out) {
        List<RouteTable> selected = select(byIds(state.routeTables, request.list("RouteTableId"),
                "InvalidRouteTableID.NotFound"), request.filters(), (table, name) -> switch (name) {
                    case "route-table-id" -> List.of(table.id);
                    case "vpc-id" -> List.of(table.vpcId);
                    case "association.main" -> List.of(String.valueOf(table.main));
                    case "association.subnet-id" -> table.associations.stream()
                            .map(Association::subnetId).filter(s -> s != null).toList();
                    case "association.route-table-association-id" -> table.associations.stream()
                            .map(Association::id).toList();
                    case "route.gateway-id" -> table.routes.stream().map(Route::gatewayId)
                            .filter(g -> g != null).toList();
                    case "route.nat-gateway-id" -> table.routes.stream().map(Route::natGatewayId)
                            .filter(g -> g != null).toList();
                    default -> tagValues(table.tags, name);
                });
        Describes.Page<RouteTable> page = page(selected, request);
        out.start("routeTableSet");
        page.items().forEach(table -> {
            out.start("item");
            writeRouteTable(out, table);
            out.end();
        });
        out.end().text("nextToken", page.nextToken());
    }

    private void writeRouteTable(XmlOut out, RouteTable table) {
        out.text("routeTableId", table.id).text("vpcId", table.vpcId).text("ownerId", OWNER_ID).start("routeSet");
        for (Route route : table.routes) {
            // A route to a NAT gateway that is being deleted or gone is a blackhole, as EC2 shows it.
            boolean active = route.natGatewayId() == null || natGateways.routable(route.natGatewayId());
            out.start("item").text("destinationCidrBlock", route.destinationCidrBlock())
                    .text("gatewayId", route.gatewayId()).text("natGatewayId", route.natGatewayId())
                    .text("state", active ? "active" : "blackhole")
                    .text("origin", "local".equals(route.gatewayId()) ? "CreateRouteTable" : "CreateRoute").end();
        }
        out.end().start("associationSet");
        for (Association association : table.associations) {
            out.start("item").text("routeTableAssociationId", association.id())
                    .text("routeTableId", table.id).text("subnetId", association.subnetId())
                    .text("main", association.main()).start("associationState").text("state", "associated").end()
                    .end();
        }
        out.end().start("propagatingVgwSet").end().tagSet(table.tags);
    }
}
