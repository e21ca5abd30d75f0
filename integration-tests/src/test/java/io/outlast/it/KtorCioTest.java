package io.outlast.it;

import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

/**
 * Ktor's CIO engine, its coroutine server (the Ktor app on {@code -Dapp.engine=cio}), on JDK 17 and 25. HTTP/1.1
 * only: CIO has no TLS, no HTTP/2 and no virtual threads of its own (docs/ktor.md).
 */
class KtorCioTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("ktor-3@cio");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @Override
    Family family() {
        return Family.KTOR;
    }

    /** CIO's idle is its writer's wait for the next response, which only a whole request's head ends. */
    @Override
    boolean ownIdleEndsSlowHeaders(String app) {
        return true;
    }

    /** CIO arms each wait's timer as it begins; the agent meets the connection at its next request (docs/ktor.md). */
    @Override
    boolean armsEachWaitAsItBegins(String app) {
        return true;
    }
}
