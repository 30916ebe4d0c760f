package io.camelappconnect.message;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** behaviour.md 2: EUIs in any form become the protocol's lower-case dashed form; anything else is refused. */
@Tag("step")
class EuiTest {

    @ParameterizedTest
    @ValueSource(strings = {"00-80-00-ff-ff-00-00-03", "008000FFFF000003", "00:80:00:FF:FF:00:00:03", "00-80-00-FF-ff-00-00-03"})
    void everyFormNormalises(String text) {
        assertEquals("00-80-00-ff-ff-00-00-03", Eui.normalise(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00-80", "008000FFFF00000", "008000FFFF0000033", "00-80-00-ff-ff-00-00-0g", "-0080000000000003",
            "0080000000000003-", "00--80-00-ff-ff-00-00-03", "0-080000000000003", "+", "#"})
    void anythingElseIsRefused(String text) {
        assertThrows(BadMessage.class, () -> Eui.normalise(text));
    }
}
