package app;

import app.control.AppControl;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ServerCalls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A gRPC-java server (test-apps grpc-java on grpc-netty and grpc-java-shaded on grpc-netty-shaded build this one
 * source; {@link Grpc} picks the transport on the class path) with one unary method, {@code outlast.Echo/Say},
 * answering "ok" whatever it is sent (bytes, no protobuf). gRPC has no idle limit by default
 * ({@code maxConnectionIdle} is infinite; -Dapp.idle=MS sets it). h2c by prior knowledge; with the tests' key, h2 by
 * ALPN over TLS.
 */
public final class Main {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<byte[]>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    public static void main(String[] args) throws Exception {
        MethodDescriptor<byte[], byte[]> say = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("outlast.Echo/Say")
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        ServerServiceDefinition echo = ServerServiceDefinition.builder("outlast.Echo")
                .addMethod(say, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("ok\n".getBytes(StandardCharsets.US_ASCII));
                    response.onCompleted();
                }))
                .build();
        KeyManagerFactory keys = AppControl.tlsKeys();
        ServerCredentials credentials = keys == null ? InsecureServerCredentials.create()
                : TlsServerCredentials.newBuilder().keyManager(keys.getKeyManagers()).build();
        ServerBuilder<?> builder = Grpc.newServerBuilderForPort(AppControl.port(), credentials).addService(echo);
        if (AppControl.ownIdleMs() > 0) {
            builder.maxConnectionIdle(AppControl.ownIdleMs(), TimeUnit.MILLISECONDS);
        }
        Server server = builder.build().start();
        AppControl.readyUntilStopped(server.getPort(), Main.class);
        server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        AppControl.stopped();
    }
}
