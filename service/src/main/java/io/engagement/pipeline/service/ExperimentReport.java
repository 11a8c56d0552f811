package io.engagement.pipeline.service;

import io.engagement.pipeline.service.ExperimentStatistics.Interval;
import io.engagement.pipeline.service.ExperimentStatistics.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /v1/experiments/{experiment}} from the rows of {@code experiment_summary.sql}:
 * one row per variant and metric, the metric's mean per exposed user, and for each variant but the
 * control its difference from the control with an always-valid interval ({@link ExperimentStatistics}),
 * beside the sample-ratio check of the whole experiment. Flat rows, so the CSV export has them too.
 */
final class ExperimentReport {

    /** Per-user metrics: the query's column of the users' sum (its square: {@code <column>_sq}). */
    static final List<String> METRICS =
            List.of("views", "validated_views", "watch_time_ms", "completions", "engagements");

    /** The query's row of the users seen in more than one variant. */
    static final String SEVERAL = "(several)";

    private ExperimentReport() {}

    /**
     * @param summary the query's rows (column name to value), one per variant, and {@link #SEVERAL} for
     *     the users seen in more than one
     * @param control the control variant; {@code null}: {@code control} if there is one, else the first by name
     * @param split the design's shares per variant in the order of the variants by name; {@code null}: equal
     */
    static List<Map<String, Object>> of(
            String experiment, List<Map<String, Object>> summary, String control, double[] split, double alpha) {
        List<Map<String, Object>> variants = new ArrayList<>();
        long inSeveral = 0;
        for (Map<String, Object> row : summary) {
            String variant = String.valueOf(row.get("variant"));
            if (variant.equals(SEVERAL)) {
                inSeveral = number(row, "users").longValue();
            } else {
                variants.add(row);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        if (variants.isEmpty()) {
            return rows;
        }
        Map<String, Object> controlRow = variants.get(0);
        for (Map<String, Object> row : variants) {
            if (control == null
                    ? row.get("variant").equals("control")
                    : row.get("variant").equals(control)) {
                controlRow = row;
            }
        }
        if (control != null && !controlRow.get("variant").equals(control)) {
            throw new IllegalArgumentException("control '" + control + "' is not a variant of " + experiment);
        }
        long[] counts = new long[variants.size()];
        double[] design = split;
        if (design == null) {
            design = new double[variants.size()];
            java.util.Arrays.fill(design, 1.0 / variants.size());
        } else if (design.length != variants.size()) {
            throw new IllegalArgumentException("split has " + design.length + " shares for " + variants.size()
                    + " variants ("
                    + String.join(
                            ", ",
                            variants.stream()
                                    .map(v -> String.valueOf(v.get("variant")))
                                    .toList())
                    + ")");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] = number(variants.get(i), "users").longValue();
        }
        boolean srmChecked = counts.length >= 2;
        double logBayesFactor = srmChecked ? ExperimentStatistics.sampleRatioLogBayesFactor(counts, design) : 0;
        boolean mismatch = srmChecked && logBayesFactor > Math.log(1 / ExperimentStatistics.SRM_ALPHA);
        for (int i = 0; i < variants.size(); i++) {
            Map<String, Object> variant = variants.get(i);
            boolean isControl = variant == controlRow;
            for (String metric : METRICS) {
                Sample sample = sample(variant, metric);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("experiment", experiment);
                out.put("variant", variant.get("variant"));
                out.put("is_control", isControl);
                out.put("users", sample.n());
                out.put("design_share", design[i]);
                out.put("metric", metric + "_per_user");
                out.put("mean", round(sample.mean()));
                if (isControl) {
                    out.put("difference", null);
                    out.put("ci_low", null);
                    out.put("ci_high", null);
                    out.put("significant", null);
                } else {
                    Interval ci = ExperimentStatistics.alwaysValid(sample(controlRow, metric), sample, alpha);
                    out.put("difference", round(ci.difference()));
                    out.put("ci_low", Double.isNaN(ci.low()) ? null : round(ci.low()));
                    out.put("ci_high", Double.isNaN(ci.high()) ? null : round(ci.high()));
                    out.put("significant", ci.excludesZero());
                }
                out.put("srm_log_bayes_factor", round(logBayesFactor));
                out.put("sample_ratio_mismatch", mismatch);
                out.put("users_in_several_variants", inSeveral);
                rows.add(out);
            }
        }
        return rows;
    }

    private static Sample sample(Map<String, Object> row, String metric) {
        return new Sample(
                number(row, "users").longValue(),
                number(row, metric).doubleValue(),
                number(row, metric + "_sq").doubleValue());
    }

    private static Number number(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value instanceof Number n) {
            return n;
        }
        return Double.valueOf(String.valueOf(value));
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    /** {@code "50,50"} or {@code "0.5,0.5"}: shares, normalised to sum to 1. */
    static double[] split(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.split(",");
        double[] shares = new double[parts.length];
        double total = 0;
        for (int i = 0; i < parts.length; i++) {
            try {
                shares[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                shares[i] = -1;
            }
            if (!(shares[i] > 0) || Double.isInfinite(shares[i])) {
                throw new IllegalArgumentException(
                        "split must be positive shares separated by commas (50,50), not '" + text + "'");
            }
            total += shares[i];
        }
        if (parts.length < 2) {
            throw new IllegalArgumentException("split needs a share per variant, at least two, not '" + text + "'");
        }
        for (int i = 0; i < shares.length; i++) {
            shares[i] /= total;
        }
        return shares;
    }
}
