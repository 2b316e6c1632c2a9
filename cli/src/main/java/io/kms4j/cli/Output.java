package io.kms4j.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints results the way the AWS CLI does: pretty JSON by default, or {@code --output text} (scalars as they
 * are, lists one item per line, objects as tab-separated values), after an optional {@code --query}.
 */
final class Output {
    private Output() {
    }

    /** Applies the query and prints in the chosen format. */
    static void print(PrintWriter out, Object result, String query, String format) {
        Object selected = query == null ? result : Query.evaluate(query, result);
        switch (format) {
            case "json":
                out.println(pretty(selected));
                break;
            case "text":
                for (String line : text(selected)) {
                    out.println(line);
                }
                break;
            default:
                throw new CliException(ExitCodes.USAGE, "unknown --output '" + format + "' (json or text)");
        }
        out.flush();
    }

    /** JSON indented by four spaces, as the AWS CLI prints it. */
    static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        pretty(sb, value, 0);
        return sb.toString();
    }

    private static void pretty(StringBuilder sb, Object value, int depth) {
        if (value instanceof Map && !((Map<?, ?>) value).isEmpty()) {
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                indent(sb, depth + 1);
                io.kms4j.internal.Json.writeString(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                pretty(sb, e.getValue(), depth + 1);
                sb.append(++i < ((Map<?, ?>) value).size() ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append('}');
        } else if (value instanceof List && !((List<?>) value).isEmpty()) {
            sb.append("[\n");
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                indent(sb, depth + 1);
                pretty(sb, list.get(i), depth + 1);
                sb.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append(']');
        } else {
            io.kms4j.internal.Json.write(sb, value);
        }
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append("    ".repeat(depth));
    }

    private static List<String> text(Object value) {
        List<String> lines = new ArrayList<>();
        if (value == null) {
            lines.add("None");
        } else if (value instanceof List) {
            List<String> scalars = new ArrayList<>();
            for (Object item : (List<?>) value) {
                if (item instanceof Map || item instanceof List) {
                    lines.addAll(text(item));
                } else {
                    scalars.add(scalar(item));
                }
            }
            if (!scalars.isEmpty()) {
                lines.add(0, String.join("\t", scalars));
            }
        } else if (value instanceof Map) {
            List<String> scalars = new ArrayList<>();
            List<String> nested = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                Object v = e.getValue();
                if (v instanceof Map || v instanceof List) {
                    for (String line : text(v)) {
                        nested.add(String.valueOf(e.getKey()).toUpperCase(java.util.Locale.ROOT) + "\t" + line);
                    }
                } else {
                    scalars.add(scalar(v));
                }
            }
            if (!scalars.isEmpty()) {
                lines.add(String.join("\t", scalars));
            }
            lines.addAll(nested);
        } else {
            lines.add(scalar(value));
        }
        return lines;
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean) {
            return ((Boolean) v) ? "True" : "False";
        }
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).toPlainString();
        }
        if (v instanceof Instant) {
            return v.toString();
        }
        return String.valueOf(v);
    }
}
