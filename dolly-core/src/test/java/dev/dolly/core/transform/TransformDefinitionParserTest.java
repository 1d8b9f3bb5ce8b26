package dev.dolly.core.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.DollyException;
import dev.dolly.api.Json;
import dev.dolly.core.transform.TransformDefinition.PersonalDataPolicy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformDefinitionParserTest
{
    private static final String TRANSFORM = """
            salt: env:DOLLY_MASK_SALT
            variables: {rep: 3}
            keep:
              customer: "support_rep_id = ${rep} or email like '%@sandbox.example'"
            empty: [playlist_track]
            mask:
              customer:
                email: internet.emailAddress
                company: "null"
                birth: date.noise(30)
              invoice:
                billing_address: address.streetAddress
            onRemovedParent: {invoice: remove}
            keep-columns: {customer.city: "cities are public"}
            pii: strict
            """;

    @Test
    void readsEveryKeyAndSubstitutesVariables()
    {
        TransformDefinition definition = parse(TRANSFORM, Map.of());
        assertThat(definition.saltVariable()).contains("DOLLY_MASK_SALT");
        assertThat(definition.keep()).containsEntry("customer", "support_rep_id = 3 or email like '%@sandbox.example'");
        assertThat(definition.empty()).containsExactly("playlist_track");
        assertThat(definition.mask().get("customer").get("email").kind()).isEqualTo(Transformer.Kind.EMAIL);
        assertThat(definition.mask().get("customer").get("company").nulls()).isTrue();
        assertThat(definition.mask().get("customer").get("birth").spec()).isEqualTo("date.noise('30')");
        assertThat(definition.removesOrphansOf("invoice")).isTrue();
        assertThat(definition.removesOrphansOf("customer")).isFalse();
        assertThat(definition.keepColumns()).containsEntry("customer.city", "cities are public");
        assertThat(definition.pii()).isEqualTo(PersonalDataPolicy.STRICT);
    }

    @Test
    void setOverridesAVariable()
    {
        assertThat(parse(TRANSFORM, Map.of("rep", "5")).keep().get("customer")).startsWith("support_rep_id = 5 ");
        assertThatThrownBy(() -> parse(TRANSFORM, Map.of("reps", "5")))
                .isInstanceOf(DollyException.class)
                .hasMessage("--set reps=5: the definition has no variable 'reps'; its variables are rep.");
    }

    @Test
    void refusesWhatIsWrongWithAClearMessage()
    {
        assertThatThrownBy(() -> parse("keep: {customer: \"id = ${missing}\"}\n", Map.of()))
                .hasMessage("transform.keep.customer uses ${missing}, which is not defined: add it under transform.variables, or pass --set missing=VALUE.");
        assertThatThrownBy(() -> parse("salt: my-secret\nmask: {customer: {email: internet.emailAddress}}\n", Map.of()))
                .hasMessageStartingWith("transform.salt must name an environment variable, as 'salt: env:DOLLY_MASK_SALT'");
        assertThatThrownBy(() -> parse("mask: {customer: {email: internet.emailAddress}}\n", Map.of()))
                .hasMessageStartingWith("transform.mask needs a salt: add 'salt: env:DOLLY_MASK_SALT'");
        assertThatThrownBy(() -> parse("salt: env:S\nmask: {customer: {email: internet.mail}}\n", Map.of()))
                .hasMessageStartingWith("transform.mask.customer.email: unknown transformer 'internet.mail'. Use one of person.firstName");
        assertThatThrownBy(() -> parse("salt: env:S\nmask: {customer: {birth: date.noise}}\n", Map.of()))
                .hasMessageStartingWith("transform.mask.customer.birth: date.noise takes one argument");
        assertThatThrownBy(() -> parse("salt: env:S\nmask: {customer: {code: \"regex('[0-9', 'x')\"}}\n", Map.of()))
                .hasMessageStartingWith("transform.mask.customer.code: regex pattern '[0-9' is not valid");
        assertThatThrownBy(() -> parse("pii: loud\n", Map.of())).hasMessage("transform.pii 'loud' is unknown: use strict, warn or off.");
        assertThatThrownBy(() -> parse("kep: {}\n", Map.of())).hasMessageStartingWith("Unknown key 'transform.kep' in the image definition.");
        assertThatThrownBy(() -> parse("empty: [a]\nkeep: {a: \"true\"}\n", Map.of()))
                .hasMessage("Table 'a' is both under transform.keep and transform.empty: an emptied table keeps no rows.");
        assertThatThrownBy(() -> parse("keep-columns: {customer.city: \"\"}\n", Map.of()))
                .hasMessage("transform.keep-columns.customer.city needs a reason: why this column is not personal data, or why it may stay.");
        assertThatThrownBy(() -> parse("onRemovedParent: {invoice: cascade}\n", Map.of()))
                .hasMessageStartingWith("transform.onRemovedParent.invoice 'cascade' is unknown: use remove");
    }

    @Test
    void readsTransformerArguments()
    {
        Transformer regex = Transformer.parse("regex('[0-9]', 'x''s')", "where");
        assertThat(regex.arguments()).containsExactly("[0-9]", "x's");
        assertThat(Transformer.parse("constant('n/a')", "where").arguments()).containsExactly("n/a");
        assertThat(Transformer.parse("name.firstName", "where").kind()).isEqualTo(Transformer.Kind.FIRST_NAME);
        assertThat(Transformer.parse("keep", "where").keeps()).isTrue();
    }

    private static TransformDefinition parse(String yaml, Map<String, String> overrides)
    {
        try {
            JsonNode node = Json.yaml().readTree(yaml);
            return TransformDefinitionParser.parse(node, overrides);
        }
        catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
