package io.camelappconnect.protocol;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** behaviour.md 8: the mPower UI's template syntax. */
@Tag("step")
class TopicTemplateTest {

    @Test
    void rendersFieldsAndLiteralPercent() {
        TopicTemplate t = TopicTemplate.parse("k", "a/%(gwuuid)s/100%%/%(deveui)s/up");
        assertEquals("a/G/100%/D/up", t.render(Map.of("gwuuid", "G", "deveui", "D")::get));
    }

    @Test
    void aMissingOrUnsafeValueGivesNull() {
        TopicTemplate t = TopicTemplate.parse("k", "x/%(name)s");
        assertNull(t.render(f -> null));
        assertNull(t.render(f -> ""));
        assertNull(t.render(f -> "a+b"));
        assertNull(t.render(f -> "a#"));
        assertNull(t.render(f -> "floor/3"), "a field is one level: a / would add one");
        assertNull(t.render(f -> "a/"), "or leave one empty");
    }

    @Test
    void badTemplatesAreRefusedNamingTheKey() {
        for (String bad : new String[] {"x/%(deveui)d", "x/%s", "x/+/%(deveui)s", "x/#", "100%", " "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TopicTemplate.parse("app.options.uplinkTopic", bad), bad);
            assertEquals(true, e.getMessage().startsWith("app.options.uplinkTopic="), e.getMessage());
        }
    }

    @Test
    void aSubscriptionHasAPlusForEachLevelWithAFieldAndReadsTheFieldsBack() {
        TopicTemplate.Subscription s = TopicTemplate.parse("k", "lorawan/%(gwuuid)s/%(appeui)s/dev-%(deveui)s/down")
                .subscription(Map.of("gwuuid", "G", "gwserial", "S"));
        assertEquals("lorawan/G/+/+/down", s.filter());
        assertEquals(Map.of("appeui", "A", "deveui", "D"), s.fields("lorawan/G/A/dev-D/down"));
        assertNull(s.fields("lorawan/G/A/D/down"), "the literal part of a level must match");
        assertNull(s.fields("lorawan/H/A/dev-D/down"));
    }
}
