package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.find;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Association;
import io.k0rdent.ops.sandbox.ec2.Ec2State.RouteTable;
import java.util.function.Function;

/**
 * {@code ReplaceRouteTableAssociation} (botocore {@code ec2/2016-11-15/service-2.json}: request {@code AssociationId},
 * {@code RouteTableId}, both required; result {@code newAssociationId} and {@code associationState}): the subnet of an
 * existing association uses another route table of its VPC from now on, under a new association id. What someone
 * with console access does to move a subnet to a table of their own.
 */
final class RouteTableAssociationReplacement {

    private final Ec2State state;
    private final Function<String, String> newId;

    RouteTableAssociationReplacement(Ec2State state, Function<String, String> newId) {
        this.state = state;
        this.newId = newId;
    }

    void replaceRouteTableAssociation(QueryRequest request, XmlOut out) {
        String associationId = request.required("AssociationId");
        RouteTable target = find(state.routeTables, request.required("RouteTableId"), "InvalidRouteTableID.NotFound");
        RouteTable current = state.routeTables.values().stream()
                .filter(t -> t.associations.stream().anyMatch(a -> a.id().equals(associationId)))
                .findFirst().orElseThrow(() -> Ec2Error.notFound("InvalidAssociationID.NotFound", associationId));
        Association association = current.associations.stream().filter(a -> a.id().equals(associationId))
                .findFirst().orElseThrow();
        if (association.main()) {
            // Moving the main route table (the API allows it) is not modelled: the main flag is the table's own.
            throw Ec2Error.client("InvalidParameterValue", "replacing the main route table association "
                    + associationId + " is not modelled by this twin");
        }
        if (!target.vpcId.equals(current.vpcId)) {
            throw Ec2Error.client("InvalidParameterValue", "Route table " + target.id + " and association "
                    + associationId + " belong to different networks");
        }
        current.associations.remove(association);
        Association replaced = new Association(newId.apply("rtbassoc"), association.subnetId(), false);
        target.associations.add(replaced);
        out.text("newAssociationId", replaced.id()).start("associationState").text("state", "associated").end();
    }
}
