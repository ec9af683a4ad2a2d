package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.image.Images;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code xai4j compare}: a grid of inputs by methods and an HTML report that a browser shows whole. */
class CompareCommandTest {
    @TempDir
    static Path tmp;
    static Path out;
    static CliRunner run;

    @BeforeAll
    static void compareTwoMethodsOnTheDemo() {
        out = tmp.resolve("cmp");
        run = CliRunner.run("compare", "--method", "grad-cam,rise", "--param", "rise.masks=60", "--out", out.toString());
    }

    @Test
    void aCompareBeyondItsTimeoutStopsWithExitCode8AndWritesNoGrid(@TempDir Path out) {
        CliRunner r = CliRunner.run("compare", "--method", "rise,saliency", "--param", "rise.masks=100000",
                "--timeout", "1s", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(8);
        assertThat(r.err()).contains("timed out after 1 s");
        assertThat(out.resolve(CompareCommand.GRID)).doesNotExist();
        assertThat(out.resolve(CompareCommand.REPORT)).doesNotExist();
    }

    @Test
    void theGridAndTheReportAreWrittenAsOneSetNeverAGridWithoutItsReport(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.writeString(dir.resolve(CompareCommand.GRID), "the grid of an earlier run");
        Files.writeString(Files.createDirectories(dir.resolve(CompareCommand.REPORT)).resolve("kept.txt"), "kept");
        CliRunner r = CliRunner.run("compare", "--method", "saliency", "--out", dir.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(6);
        assertThat(r.err()).contains(CompareCommand.REPORT + " is a folder");
        assertThat(dir.resolve(CompareCommand.GRID)).hasContent("the grid of an earlier run");
        assertThat(dir.resolve(CompareCommand.REPORT).resolve("kept.txt")).hasContent("kept");
        Files.delete(dir.resolve(CompareCommand.REPORT).resolve("kept.txt"));
        Files.delete(dir.resolve(CompareCommand.REPORT));
        CliRunner again = CliRunner.run("compare", "--method", "saliency", "--out", dir.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Images.read(dir.resolve(CompareCommand.GRID)).getWidth()).isGreaterThan(300);
        assertThat(Files.readString(dir.resolve(CompareCommand.REPORT))).contains("saliency");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.txt",
                    CompareCommand.GRID, CompareCommand.REPORT, ".xai4j.lock");
        }
    }

    @Test
    void writesAGridWithOneRowPerInputAndOneColumnPerMethod() {
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("grid.png").contains("report.html");
        BufferedImage grid = Images.read(out.resolve("grid.png"));
        assertThat(grid.getWidth()).isBetween(2 * 320, 2 * 320 + 30);
        assertThat(grid.getHeight()).isGreaterThan(2 * 200);
    }

    @Test
    void theReportIsSelfContainedAndNamesEveryCell() throws Exception {
        String html = Files.readString(out.resolve("report.html"));
        assertThat(count(html, "src=\"data:image/png;base64,")).isEqualTo(4);
        assertThat(html).doesNotContain("http://", "https://", "<script");
        assertThat(html).contains("two-shapes", "two-shapes-2", "grad-cam", "rise", "masks=60", "timings", "circle");
    }

    @Test
    void anUnreadableInputGetsARowSayingWhyTheOthersGoOnAndTheRunFails() throws Exception {
        Path broken = tmp.resolve("broken.png");
        Files.writeString(broken, "not a png");
        Path good = Path.of(CompareCommandTest.class.getResource("/io/xai4j/cli/demo/samples/circle.png").toURI());
        Path model = Path.of(CompareCommandTest.class.getResource("/io/xai4j/cli/demo/shapes-cnn.onnx").toURI());
        Path dir = tmp.resolve("with-broken");
        CliRunner r = CliRunner.run("compare", "--model", model.toString(), "--input", broken.toString(), "--input",
                good.toString(), "--preprocess", "none", "--method", "saliency,grad-cam", "--out", dir.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("skipped " + broken).contains("2 of 4 explanations failed")
                .contains("saliency on broken (exit 3)");
        assertThat(r.out()).contains("circle: saliency").contains("circle: grad-cam");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(count(html, "src=\"data:image/png;base64,")).isEqualTo(2);
        assertThat(html).contains("<th>broken</th><td colspan=\"2\"><p class=\"error\">could not be read: ");
        BufferedImage grid = Images.read(dir.resolve("grid.png"));
        assertThat(grid.getWidth()).isBetween(2 * 320, 2 * 320 + 30);
        assertThat(grid.getHeight()).as("a row for each input").isGreaterThan(80 + 200);
    }

    /** Scores in the report are evaluate's for the same inputs, methods and metrics; curves come as thumbnails. */
    @Test
    void metricsGetASectionWithTheScoresEvaluateGives() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("scored-images"));
        Path evalset = Path.of(CompareCommandTest.class.getResource("/io/xai4j/cli/demo/evalset/boxes.json").toURI())
                .getParent();
        for (String image : List.of("shapes-000.jpg", "shapes-200.jpg")) {
            Files.copy(evalset.resolve(image), images.resolve(image));
        }
        List<String> common = List.of("--input", images.toString(), "--method", "saliency,grad-cam",
                "--metric", "deletion", "--metric", "pointing-game", "--metric-param", "steps=11",
                "--boxes", evalset.resolve("boxes.json").toString());
        Path dir = tmp.resolve("scored");
        CliRunner r = CliRunner.run(Stream.concat(Stream.of("compare", "--out", dir.toString()), common.stream())
                .toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path evaluated = tmp.resolve("evaluated");
        CliRunner e = CliRunner.run(Stream.concat(Stream.of("evaluate", "--out", evaluated.toString()),
                common.stream()).toArray(String[]::new));
        assertThat(e.exitCode()).as(e.err()).isZero();

        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<h2 id=\"metrics\">Metrics</h2>", "mean over inputs",
                "deletion<br><small>(lower is better)",
                "pointing-game<br><small>(higher is better)", "deletion, pointing-game (steps=11)");
        assertThat(count(html, "src=\"data:image/png;base64,")).as("4 pictures, 4 deletion curves").isEqualTo(8);
        for (String line : Files.readAllLines(evaluated.resolve(EvaluateCommand.RECORDS))) {
            for (JsonNode explanation : new ObjectMapper().readTree(line).get("explanations")) {
                double deletion = explanation.at("/metrics/deletion/score").asDouble();
                assertThat(html).contains(String.format(Locale.ROOT, "%.4g", deletion));
            }
        }
    }

    @Test
    void anUnknownMetricIsAUsageErrorBeforeAnyWork() {
        Path dir = tmp.resolve("unknown-metric");
        CliRunner r = CliRunner.run("compare", "--method", "saliency", "--metric", "delection", "--out", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown metric 'delection'", "did you mean 'deletion'");
        assertThat(dir.resolve(CompareCommand.REPORT)).doesNotExist();
    }

    @Test
    void chromiumLoadsEveryImageWithoutPageErrors() throws Exception {
        String chromium = findChromium();
        Assumptions.assumeTrue(chromium != null,
                "Chromium is not installed (apt-get install -y chromium): skipping the browser check of report.html");
        Path page = tmp.resolve("checked.html");
        String probe = "<script>var errors=[];window.addEventListener('error',function(e){errors.push("
                + "(e.target&&e.target.tagName)||e.message)},true);window.addEventListener('load',function(){"
                + "var imgs=document.images,ok=0;for(var i=0;i<imgs.length;i++){if(imgs[i].complete&&"
                + "imgs[i].naturalWidth>0)ok++}document.title='CHECK images='+imgs.length+' loaded='+ok+' errors='"
                + "+errors.length})</script>";
        String html = Files.readString(out.resolve("report.html")).replace("<head>", "<head>" + probe);
        Files.writeString(page, html);
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile("CHECK images=(\\d+) loaded=(\\d+) errors=(\\d+)").matcher(dom);
        assertThat(m.find()).as("the probe's result in the page title; got: " + dom.substring(0,
                Math.min(300, dom.length()))).isTrue();
        assertThat(m.group(1)).isEqualTo("4");
        assertThat(m.group(2)).as("images loaded").isEqualTo("4");
        assertThat(m.group(3)).as("page errors").isEqualTo("0");
    }

    private static String findChromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
