package io.k0rdent.ops.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.event.FieldChange;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterDiffTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text.replace('\'', '"'));
    }

    @Test
    void reportsChangedLeavesWithOldAndNewValues() throws Exception {
        List<FieldChange> changes = ClusterDiff.between(
                json("{'spec':{'nodes':{'workers':{'count':3,'instanceType':'t3.large'}}}}"),
                json("{'spec':{'nodes':{'workers':{'count':5,'instanceType':'t3.large'}}}}"));

        assertThat(changes).containsExactly(new FieldChange("$.spec.nodes.workers.count",
                mapper.getNodeFactory().numberNode(3), mapper.getNodeFactory().numberNode(5)));
    }

    @Test
    void addedAndRemovedFieldsHaveANullSide() throws Exception {
        List<FieldChange> changes = ClusterDiff.between(
                json("{'metadata':{'labels':{'team':'a'}}}"),
                json("{'metadata':{'labels':{'owner':'b'}}}"));

        assertThat(changes).extracting(FieldChange::path)
                .containsExactly("$.metadata.labels.owner", "$.metadata.labels.team");
        assertThat(changes.get(0).oldValue()).isNull();
        assertThat(changes.get(1).newValue()).isNull();
    }

    @Test
    void keysThatNeedBracketsUseTheValidatorsPathSyntax() throws Exception {
        List<FieldChange> changes = ClusterDiff.between(json("{'metadata':{'annotations':{'k0rdent.io/owner':'a'}}}"),
                json("{'metadata':{'annotations':{'k0rdent.io/owner':'b'}}}"));

        assertThat(changes).extracting(FieldChange::path).containsExactly("$.metadata.annotations['k0rdent.io/owner']");
    }

    @Test
    void keyOrderAndNumberFormatAreNoChange() throws Exception {
        assertThat(ClusterDiff.same(json("{'a':1,'b':{'c':2}}"), json("{'b':{'c':2.0},'a':1}"))).isTrue();
    }

    @Test
    void arraysCompareByIndex() throws Exception {
        assertThat(ClusterDiff.between(json("{'a':[1,2]}"), json("{'a':[1,3,4]}"))).extracting(FieldChange::path)
                .containsExactly("$.a[1]", "$.a[2]");
    }
}
