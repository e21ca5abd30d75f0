package app

import app.control.AppControl
import io.ktor.http.HttpMethod
import io.ktor.server.application.Application
import io.ktor.server.cio.CIO
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.connector
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.request.httpMethod
import io.ktor.server.request.receiveText
import io.ktor.server.response.respondText
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.netty.channel.ChannelDuplexHandler
import io.netty.channel.ChannelHandlerContext
import io.netty.handler.timeout.IdleStateEvent
import io.netty.handler.timeout.IdleStateHandler
import kotlinx.coroutines.runBlocking
import java.util.concurrent.TimeUnit

/**
 * A Ktor 3 application answering "ok" on every path, on the engine `-Dapp.engine` names: `netty` (the default; Ktor
 * gives it no idle timeout, and -Dapp.idle=MS adds the usual IdleStateHandler through Ktor's pipeline hook) or `cio`
 * (Ktor's coroutine engine: its own idle, 45 s by default, which -Dapp.idle=MS sets to the second).
 */
fun main() {
    val module: Application.() -> Unit = {
        routing {
            route("{...}") {
                handle {
                    if (call.request.httpMethod == HttpMethod.Post) {
                        call.receiveText()
                    }
                    call.respondText("ok\n")
                }
            }
        }
    }
    val ownIdleMs = AppControl.ownIdleMs()
    val server: EmbeddedServer<*, *> = if (System.getProperty("app.engine", "netty") == "cio") {
        embeddedServer(CIO, configure = {
            connector { host = "127.0.0.1"; port = AppControl.port() }
            if (ownIdleMs > 0) {
                connectionIdleTimeoutSeconds = maxOf(1, (ownIdleMs / 1000).toInt())
            }
        }, module = module)
    } else {
        embeddedServer(Netty, configure = {
            connector { host = "127.0.0.1"; port = AppControl.port() }
            if (ownIdleMs > 0) {
                channelPipelineConfig = {
                    addLast("appIdle", IdleStateHandler(0, 0, ownIdleMs, TimeUnit.MILLISECONDS))
                    addLast("appIdleClose", CloseWhenIdle())
                }
            }
        }, module = module)
    }
    server.start(wait = false)
    val port = runBlocking { server.engine.resolvedConnectors().first().port }
    AppControl.readyUntilStopped(port, Application::class.java)
    server.stop(0, 5000)
    AppControl.stopped()
}

/** What an application adds beside an IdleStateHandler: the close on its event. */
class CloseWhenIdle : ChannelDuplexHandler() {
    override fun userEventTriggered(ctx: ChannelHandlerContext, evt: Any) {
        if (evt is IdleStateEvent) ctx.close() else ctx.fireUserEventTriggered(evt)
    }
}
