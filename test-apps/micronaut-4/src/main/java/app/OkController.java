package app;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;

/** "ok" on every path. */
@Controller
public class OkController {
    @Get(uri = "/{+path}")
    @Produces(MediaType.TEXT_PLAIN)
    public String get(String path) {
        return "ok\n";
    }

    @Get("/")
    @Produces(MediaType.TEXT_PLAIN)
    public String root() {
        return "ok\n";
    }

    @Post(uri = "/{+path}")
    @Produces(MediaType.TEXT_PLAIN)
    public String post(String path) {
        return "ok\n";
    }
}
