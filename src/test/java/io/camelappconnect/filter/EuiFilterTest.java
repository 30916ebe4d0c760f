package io.camelappconnect.filter;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/filters.md: the allow and deny lists of an EUI, as lora-mqtt-bridge writes them. */
@Tag("step")
class EuiFilterTest {

    @ParameterizedTest(name = "allow [{0}] deny [{1}]: {2} passes {3}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                  | ''                      | 00-11-22-33-44-55-66-77 | true
            00-11-22-33-44-55-66-77                             | ''                      | 00-11-22-33-44-55-66-77 | true
            00-11-22-33-44-55-66-77                             | ''                      | 00-11-22-33-44-55-66-78 | false
            00-11-22-33-44-55-66-77, 00-11-22-33-44-55-66-88    | ''                      | 00-11-22-33-44-55-66-88 | true
            0011223344556677                                    | ''                      | 00-11-22-33-44-55-66-77 | true
            00:11:22:33:44:55:66:77                             | ''                      | 00-11-22-33-44-55-66-77 | true
            AA-BB-CC-DD-EE-FF-00-11                             | ''                      | aa-bb-cc-dd-ee-ff-00-11 | true
            [00-00-00-00-00-00-00-01,00-00-00-00-00-00-00-ff]   | ''                      | 00-00-00-00-00-00-00-01 | true
            [00-00-00-00-00-00-00-01,00-00-00-00-00-00-00-ff]   | ''                      | 00-00-00-00-00-00-00-ff | true
            [00-00-00-00-00-00-00-01,00-00-00-00-00-00-00-ff]   | ''                      | 00-00-00-00-00-00-00-00 | false
            [00-00-00-00-00-00-00-01,00-00-00-00-00-00-00-ff]   | ''                      | 00-00-00-00-00-00-01-00 | false
            [ 7f-00-00-00-00-00-00-00 , ff-ff-ff-ff-ff-ff-ff-fe ] | ''                    | f0-00-00-00-00-00-00-00 | true
            [7f-00-00-00-00-00-00-00,ff-ff-ff-ff-ff-ff-ff-fe]   | ''                      | ff-ff-ff-ff-ff-ff-ff-ff | false
            00-11-22-xx-xx-xx-xx-xx                             | ''                      | 00-11-22-99-aa-bb-cc-dd | true
            00-11-22-xx-xx-xx-xx-xx                             | ''                      | 00-11-23-99-aa-bb-cc-dd | false
            XX-XX-XX-XX-XX-55-66-77                             | ''                      | 12-34-56-78-9a-55-66-77 | true
            00-1x-22-33-44-55-66-77                             | ''                      | 00-1f-22-33-44-55-66-77 | true
            00-1x-22-33-44-55-66-77                             | ''                      | 00-2f-22-33-44-55-66-77 | false
            00-11-22-33-44-55-66-77, [00-00-00-00-00-00-00-00,00-00-00-00-00-00-00-ff], aa-xx-xx-xx-xx-xx-xx-xx | '' | aa-01-02-03-04-05-06-07 | true
            00-11-22-33-44-55-66-77, [00-00-00-00-00-00-00-00,00-00-00-00-00-00-00-ff], aa-xx-xx-xx-xx-xx-xx-xx | '' | 00-00-00-00-00-00-00-42 | true
            00-11-22-33-44-55-66-77, [00-00-00-00-00-00-00-00,00-00-00-00-00-00-00-ff], aa-xx-xx-xx-xx-xx-xx-xx | '' | bb-01-02-03-04-05-06-07 | false
            ''                                                  | 00-11-22-33-44-55-66-77 | 00-11-22-33-44-55-66-77 | false
            ''                                                  | 00-11-22-33-44-55-66-77 | 00-11-22-33-44-55-66-78 | true
            aa-bb-cc-xx-xx-xx-xx-xx                             | aa-bb-cc-00-00-00-00-00 | aa-bb-cc-00-00-00-00-00 | false
            aa-bb-cc-xx-xx-xx-xx-xx                             | aa-bb-cc-00-00-00-00-00 | aa-bb-cc-00-00-00-00-01 | true
            00-11-22-33-44-55-66-77                             | 00-11-xx-xx-xx-xx-xx-xx | 00-11-22-33-44-55-66-77 | false
            [00-00-00-00-00-00-00-00,00-00-00-00-00-00-00-ff]   | [00-00-00-00-00-00-00-10,00-00-00-00-00-00-00-1f] | 00-00-00-00-00-00-00-15 | false
            [00-00-00-00-00-00-00-00,00-00-00-00-00-00-00-ff]   | [00-00-00-00-00-00-00-10,00-00-00-00-00-00-00-1f] | 00-00-00-00-00-00-00-20 | true
            """)
    void denyWinsAndAnAllowListLetsOnlyItsOwnThrough(String allow, String deny, String eui, boolean passes) {
        EuiFilter filter = EuiFilter.parse("app.filter.deveui.allow", allow, "app.filter.deveui.deny", deny);
        assertEquals(passes, filter.allows(eui));
    }

    @ParameterizedTest(name = "{0} = {1}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            allow | 00-11-22-33                                          | 00-11-22-33                | not an EUI
            allow | 00-11-22-33-44-55-66-77-88                           | 00-11-22-33-44-55-66-77-88 | not an EUI
            allow | 00-11-22-33-44-55-66-zz                              | 00-11-22-33-44-55-66-zz    | not an EUI
            allow | 00--11-22-33-44-55-66-77                             | 00--11-22-33-44-55-66-77   | not an EUI
            allow | 00-11-22-33-44-55-66-77 00-11-22-33-44-55-66-88      | 66-77 00-11                | not an EUI
            allow | 00-11-22-33-44-55-66-77;00-11-22-33-44-55-66-88      | 66-77;00-11                | not an EUI
            allow | 00-11-22-33-44-55-66-77,,00-11-22-33-44-55-66-88     | ''                         | an empty entry
            allow | 00-11-22-33-44-55-66-77,                             | 66-77,                     | a comma with no entry after it
            allow | ,00-11-22-33-44-55-66-77                             | ''                         | an empty entry
            deny  | [00-00-00-00-00-00-00-01,00-00-00-00-00-00-00-ff     | [00-00-00-00-00-00-00-01   | a range is [min,max]
            deny  | [00-00-00-00-00-00-00-01]                            | [00-00-00-00-00-00-00-01]  | a range is [min,max]
            deny  | [00-00-00-00-00-00-00-01,00-00-00-00-00-00-00-02,00-00-00-00-00-00-00-03] | 00-02,00 | a range is [min,max]
            deny  | [00-00-00-00-00-00-00-ff,00-00-00-00-00-00-00-01]    | 00-ff,00                   | the range's min is above its max
            deny  | [00-00-00-00-00-00-00-xx,00-00-00-00-00-00-00-ff]    | 00-00-00-00-00-00-00-xx    | is not an EUI (a range's ends are EUIs, no mask)
            deny  | [00-00-00-00-00-00-00-01,nope]                       | nope                       | is not an EUI
            deny  | [00-00-00-00-00-00-00-01,00-00-00-00-00-00-00-ff]x   | x                          | a comma must come between two entries
            deny  | 00-00-00-00-00-00-00-01]                             | 00-00-00-00-00-00-00-01]   | not an EUI
            """)
    void badSyntaxIsRefusedNamingTheKeyAndThePart(String list, String text, String part, String reason) {
        String key = "mqtt.connection.backup.filter.joineui." + list;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EuiFilter.parse(
                "mqtt.connection.backup.filter.joineui.allow", list.equals("allow") ? text : "",
                "mqtt.connection.backup.filter.joineui.deny", list.equals("deny") ? text : ""));
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
