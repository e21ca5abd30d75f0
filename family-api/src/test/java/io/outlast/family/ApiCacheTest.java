package io.outlast.family;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ApiCacheTest {
    @Test
    void aLoaderLackingPartOfTheApiIsToldWhatItLacks() {
        ApiCache<Object> cache = new ApiCache<>(cl -> {
            throw new NoSuchFieldException("org.example.Server.idleTimeout");
        });
        assertNull(cache.get(String.class));
        assertEquals("missing: NoSuchFieldException org.example.Server.idleTimeout", cache.missing(String.class));
    }

    @Test
    void aResolvedApiLacksNothing() {
        Object api = new Object();
        ApiCache<Object> cache = new ApiCache<>(cl -> api);
        assertSame(api, cache.get(String.class));
        assertNull(cache.missing(String.class));
    }
}
