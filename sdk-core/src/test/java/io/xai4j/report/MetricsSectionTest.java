package io.xai4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.metric.Curve;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The report's metrics section: a score per input, metric and method, the best of a row in bold, means over inputs. */
class MetricsSectionTest {
    private static MetricDescriptor metric(String name, boolean higherIsBetter) {
        return new MetricDescriptor(name, MetricKind.FAITHFULNESS, "1", name, Set.of(), List.of(), higherIsBetter);
    }

    private static MetricResult result(String metric, double score, boolean curve) {
        return new MetricResult(metric, new double[] {score},
                curve ? List.of(Curve.of(new double[] {0, 0.5, 1}, new double[] {score, 0, -score})) : List.of(),
                Map.of());
    }

    @Test
    void theBestOfEachRowIsBoldByTheMetricsDirectionAndFailuresSaySo() {
        Comparison comparison = new Comparison();
        comparison.scoreWith(List.of(metric("deletion", false), metric("pointing-game", true)));
        for (String input : List.of("a", "b")) {
            for (String method : List.of("m1", "m2", "m3")) {
                comparison.add(new Comparison.Cell(input, method, null, null, method.equals("m3") ? "broken" : null));
            }
        }
        comparison.addScores("a", "m1", List.of(result("deletion", 2, true), result("pointing-game", 1, false)));
        comparison.addScores("a", "m2", List.of(result("deletion", 3, true), MetricResult.notApplicable(
                "pointing-game", 1, "no true region")));
        comparison.addScores("b", "m1", List.of(result("deletion", 6, true), result("pointing-game", 0, false)));
        comparison.addScores("b", "m2", List.of(result("deletion", 1, true), result("pointing-game", 1, false)));

        StringBuilder html = new StringBuilder();
        MetricsSection.append(comparison, html);
        String page = html.toString();

        assertThat(page).contains("deletion<br><small>(lower is better)", "pointing-game<br><small>(higher is better)");
        assertThat(page).contains("<b>2.000</b>", ">3.000", "<b>1.000</b>", "<b>1.000</b>");
        assertThat(page).contains("<span title=\"no true region\">n/a</span>");
        assertThat(page).contains("<span class=\"error\">failed</span>");
        assertThat(page).contains("mean over inputs", "<b>2.000</b><img", ">4.000<").doesNotContain("<b>4.000</b>");
        assertThat(page).contains(">0.5000<");   // m1's pointing game over a and b; m2's (1, b alone) is the best
        assertThat(count(page, "data:image/png;base64,")).as("a curve per scored deletion").isEqualTo(4);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
