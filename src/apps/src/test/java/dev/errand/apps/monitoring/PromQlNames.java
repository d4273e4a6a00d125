package dev.errand.apps.monitoring;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, and the labels it selects them by. Not a PromQL parser:
 * enough for the expressions of Errand's rules and dashboard, which is what a test needs to compare
 * them with a scrape. Strings, label matchers, ranges and label lists are taken out first; what is left
 * is names, functions, keywords and numbers.
 */
final class PromQlNames {

    /** PromQL's functions, aggregations and keywords (Prometheus 2.42), and Grafana's label_values. */
    private static final Set<String> NOT_METRICS = Set.of(
            "abs", "absent", "absent_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min",
            "day_of_month", "day_of_week", "day_of_year", "days_in_month", "delta", "deriv", "exp", "floor",
            "histogram_count", "histogram_fraction", "histogram_quantile", "histogram_sum", "holt_winters", "hour",
            "idelta", "increase", "irate", "label_join", "label_replace", "ln", "log2", "log10", "minute", "month",
            "predict_linear", "rate", "resets", "round", "scalar", "sgn", "sort", "sort_desc", "sqrt", "time",
            "timestamp", "vector", "year", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
            "count_over_time", "quantile_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time",
            "present_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh",
            "tan", "tanh", "deg", "rad", "pi",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile",
            "and", "or", "unless", "bool", "by", "without", "on", "ignoring", "group_left", "group_right",
            "offset", "inf", "nan", "label_values");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQlNames() {
    }

    /** Every metric an expression reads, each with the labels its selectors name (empty when none). */
    static Map<String, Set<String>> of(String expression) {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        // Label values are strings: emptied first, so that a matcher's value never reads as a name.
        String withoutStrings = STRING.matcher(expression).replaceAll("\"\"");
        Matcher selector = SELECTOR.matcher(withoutStrings);
        while (selector.find()) {
            Set<String> labels = names.computeIfAbsent(selector.group(1), any -> new LinkedHashSet<>());
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                labels.add(matcher.group(1));
            }
        }
        String rest = withoutStrings.replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " ") // ranges, subqueries
                .replaceAll("\\$\\{?\\w+}?", " "); // Grafana's variables ($__rate_interval, ${queue})
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        rest = rest.replaceAll("\\boffset\\s+\\w+", " ");
        // label_values(metric, label): the second argument is a label.
        rest = rest.replaceAll("label_values\\s*\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*\\w+\\s*\\)", "$1");
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group();
            if (!NOT_METRICS.contains(name) && !name.matches("\\d.*")) {
                names.computeIfAbsent(name, any -> new LinkedHashSet<>());
            }
        }
        return names;
    }
}
