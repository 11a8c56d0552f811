package io.engagement.pipeline.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The vocabularies an accepted event's dimensions are bounded to (docs/events.md, "Bounded dimensions"). */
class DimensionsTest {

    @Test
    void aCountryIsAnIsoCodeInUpperCaseOrUnknown() {
        assertEquals("GB", Dimensions.country("gb"));
        assertEquals("US", Dimensions.country("US"));
        assertEquals("BR", Dimensions.country("bR"));
        assertEquals("unknown", Dimensions.country("UK"), "the United Kingdom's ISO code is GB");
        assertEquals("unknown", Dimensions.country("USA"));
        assertEquals("unknown", Dimensions.country("XX"));
        assertEquals("unknown", Dimensions.country("Atlantis"));
        assertEquals("unknown", Dimensions.country("unknown"));
        assertNull(Dimensions.country(null), "no country sent stays none");
    }

    @Test
    void theShippedCountryListHasEveryAlpha2Code() {
        assertEquals(249, Dimensions.COUNTRIES.size());
        for (String code :
                new String[] {"AD", "AQ", "CH", "CN", "DE", "FR", "IN", "JP", "MX", "NG", "NZ", "ZW", "ZA"}) {
            assertEquals(code, Dimensions.country(code));
        }
    }

    @Test
    void devicePlatformAndSourceKeepTheirVocabularyInLowerCaseAndAnythingElseIsOther() {
        assertEquals("tv", Dimensions.device("TV"));
        assertEquals("phone", Dimensions.device("phone"));
        assertEquals("other", Dimensions.device("fridge"));
        assertEquals("ios", Dimensions.platform("iOS"));
        assertEquals("other", Dimensions.platform("symbian"));
        assertEquals("for_you", Dimensions.source("For_You"));
        assertEquals("feed", Dimensions.source("feed"));
        assertEquals("other", Dimensions.source("billboard"));
        assertNull(Dimensions.device(null));
        assertNull(Dimensions.platform(null));
        assertNull(Dimensions.source(null));
    }
}
