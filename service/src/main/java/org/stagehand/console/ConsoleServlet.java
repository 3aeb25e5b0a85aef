package org.stagehand.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.http.ApiError;

/**
 * The console on the admin port: pages under {@code /console/}, their JSON under {@code /console/api/},
 * the sign-in form and the static assets. Read-only: no request here changes anything but the
 * session cookie.
 */
final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);
    /** No inline script or style, nothing from elsewhere, never framed. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Map<String, String> ASSETS = Map.of("console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");
    /** A host name or address as Jetty parsed it from the Host header, safe inside a shell command in quotes. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,255}");
    private static final int MAX_LOGIN_BODY = 8192;

    private final transient ConsoleViews views;
    private final transient ConsolePages pages;
    private final transient ConsoleSessions sessions;
    private final transient ObjectMapper mapper;

    ConsoleServlet(ConsoleViews views, ConsolePages pages, ConsoleSessions sessions, ObjectMapper mapper) {
        this.views = views;
        this.pages = pages;
        this.sessions = sessions;
        this.mapper = mapper;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            redirect(response, "/console/");
            return;
        }
        if (path.startsWith("/assets/")) {
            asset(path.substring("/assets/".length()), response);
            return;
        }
        if (path.equals("/login")) {
            if (!sessions.guarded()) {
                redirect(response, "/console/");
            } else {
                html(response, 200, pages.login(null));
            }
            return;
        }
        boolean api = path.startsWith("/api/");
        if (!sessions.allowed(request)) {
            if (api) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"stagehand-admin\"");
                json(response, 401, new ApiError(401, "a valid admin token is required: Authorization: Bearer <token>"
                        + " (auth.adminTokenSha256), or sign in at /console/login"));
            } else {
                redirect(response, "/console/login");
            }
            return;
        }
        try {
            route(api ? path.substring("/api".length()) : path, api, request, response);
        } catch (ConsoleParameters.Refusal e) {
            refuse(response, api, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            // A database that cannot be read, mostly; the details go to the log, not to the page.
            LOG.warn("console {} failed: {}", path, e.toString());
            refuse(response, api, 503, "the console cannot read the database now; try again");
        }
    }

    private void route(String path, boolean api, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        boolean signOut = sessions.guarded();
        if (path.equals("/") || path.equals("/overview") && api) {
            ConsoleJson.Overview overview = views.overview();
            send(response, api, overview, () -> pages.overview(overview, signOut));
        } else if (path.equals("/requests")) {
            ConsoleJson.RequestList list = views.requests(ConsoleParameters.query(request.getParameter("q")),
                    ConsoleParameters.status(request.getParameter("status")),
                    ConsoleParameters.before(request.getParameter("before")));
            send(response, api, list, () -> pages.requests(list, signOut));
        } else if (path.startsWith("/requests/")) {
            UUID id = ConsoleParameters.requestId(path.substring("/requests/".length()));
            String after = request.getParameter("after");
            ConsoleJson.RequestDetail detail = views.request(id, after == null || after.isEmpty() ? null : after,
                    adminBase(request), sessions.guarded())
                    .orElseThrow(() -> new ConsoleParameters.Refusal(404, "no staging request " + id));
            send(response, api, detail, () -> pages.request(detail, signOut));
        } else if (path.equals("/tape")) {
            ConsoleJson.TapeView tape = views.tape();
            send(response, api, tape, () -> pages.tape(tape, signOut));
        } else {
            throw new ConsoleParameters.Refusal(404, "the console has no such page");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        boolean secure = request.isSecure();
        if ("/logout".equals(path)) {
            response.setHeader("Set-Cookie", ConsoleSessions.endedSessionCookie(secure));
            redirect(response, sessions.guarded() ? "/console/login" : "/console/");
            return;
        }
        if (!"/login".equals(path) || !sessions.guarded()) {
            refuse(response, false, 405, "the console is read-only; admin tasks are POSTs to /tasks/");
            return;
        }
        if (request.getContentLengthLong() > MAX_LOGIN_BODY) {
            refuse(response, false, 413, "a sign-in form is smaller than that");
            return;
        }
        String token;
        try {
            token = request.getParameter("token");
        } catch (RuntimeException e) {
            refuse(response, false, 400, "the form cannot be read");
            return;
        }
        if (!sessions.isAdminToken(token == null ? null : token.strip())) {
            html(response, 401, pages.login("That is not an admin token of this service."));
            return;
        }
        response.setHeader("Set-Cookie", sessions.newSessionCookie(secure));
        redirect(response, "/console/");
    }

    /** The admin port's base URL as the browser reached it, for the commands to copy. */
    private static String adminBase(HttpServletRequest request) {
        String host = request.getServerName();
        if (host == null || !HOST.matcher(host).matches()) {
            host = "127.0.0.1";
        } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return (request.isSecure() ? "https" : "http") + "://" + host + ":" + request.getServerPort();
    }

    private void send(HttpServletResponse response, boolean api, Object answer, java.util.function.Supplier<String> page)
            throws IOException {
        if (api) {
            json(response, 200, answer);
        } else {
            html(response, 200, page.get());
        }
    }

    private void refuse(HttpServletResponse response, boolean api, int status, String message) throws IOException {
        if (api) {
            json(response, status, new ApiError(status, message));
        } else {
            html(response, status, pages.error(status, message, sessions.guarded()));
        }
    }

    private void json(HttpServletResponse response, int status, Object body) throws IOException {
        headers(response, status, "application/json");
        response.getOutputStream().write(mapper.writeValueAsBytes(body));
    }

    private static void html(HttpServletResponse response, int status, String page) throws IOException {
        headers(response, status, "text/html; charset=utf-8");
        response.getOutputStream().write(page.getBytes(StandardCharsets.UTF_8));
    }

    private static void headers(HttpServletResponse response, int status, String contentType) {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
    }

    private static void redirect(HttpServletResponse response, String location) {
        response.setStatus(303);
        response.setHeader("Location", location);
        response.setHeader("Cache-Control", "no-store");
    }

    private void asset(String name, HttpServletResponse response) throws IOException {
        String type = ASSETS.get(name);
        InputStream in = type == null ? null : ConsoleServlet.class.getResourceAsStream("assets/" + name);
        if (in == null) {
            refuse(response, false, 404, "the console has no such asset");
            return;
        }
        try (in) {
            headers(response, 200, type);
            response.setHeader("Cache-Control", "max-age=3600");
            in.transferTo(response.getOutputStream());
        }
    }
}
