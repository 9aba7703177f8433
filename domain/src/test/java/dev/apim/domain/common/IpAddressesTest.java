package dev.apim.domain.common;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IpAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, 0.0.0.0",
            "192.168.1.255, 192.168.1.255",
            "::, ::",
            "::1, ::1",
            "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
            "::ffff:10.0.0.1, ::ffff:a00:1",
            "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
            "fe80::, fe80::"})
    void literals_parse_to_canonical_form(String text, String canonical) {
        assertThat(IpAddresses.parse(text).map(IpAddresses::format)).contains(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-1",
            "1..2.3", " 1.2.3.4", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "fe80::1%eth0",
            "g::1", ":1::", "1::2:", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "\uff11.2.3.4", "0x7f.0.0.1"})
    void everything_else_is_refused(String text) {
        assertThat(IpAddresses.parse(text)).isEmpty();
    }
}
