package dev.darkfactory.operator.station;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StationMainTest {

    @Test
    void anUnknownStationIsAUsageError() {
        assertThat(StationMain.run(new String[] {"deploy"}, new StationEnvironment(Map.of())))
                .isEqualTo(StationMain.EXIT_USAGE);
        assertThat(StationMain.run(new String[0], new StationEnvironment(Map.of())))
                .isEqualTo(StationMain.EXIT_USAGE);
    }
}
