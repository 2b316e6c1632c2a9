package io.kms4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The subset of JMESPath that AWS CLI users reach for with {@code --query}: field names ({@code CiphertextBlob}),
 * paths ({@code KeyMetadata.KeyId}), indexes ({@code Keys[0]}) and projections ({@code Keys[*].KeyId},
 * {@code Keys[].KeyId}). Anything else is a usage error, not a silent wrong answer.
 */
final class Query {
    private Query() {
    }

    /** Evaluates {@code expression} on a JSON-shaped value (maps, lists, scalars); missing fields give null. */
    static Object evaluate(String expression, Object value) {
        if (expression.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "empty --query");
        }
        return apply(expression.trim(), value);
    }

    private static Object apply(String expr, Object value) {
        if (expr.isEmpty()) {
            return value;
        }
        if (expr.startsWith(".")) {
            return apply(expr.substring(1), value);
        }
        if (expr.startsWith("[")) {
            int close = expr.indexOf(']');
            if (close < 0) {
                throw bad(expr);
            }
            String inside = expr.substring(1, close).trim();
            String rest = expr.substring(close + 1);
            if (!(value instanceof List)) {
                return null;
            }
            List<?> list = (List<?>) value;
            if (inside.isEmpty() || inside.equals("*")) {
                List<Object> projected = new ArrayList<>();
                for (Object item : list) {
                    Object r = apply(rest, item);
                    if (r != null) {
                        projected.add(r);
                    }
                }
                return projected;
            }
            try {
                int index = Integer.parseInt(inside);
                if (index < 0) {
                    index += list.size();
                }
                return index >= 0 && index < list.size() ? apply(rest, list.get(index)) : null;
            } catch (NumberFormatException e) {
                throw bad(expr);
            }
        }
        int end = 0;
        while (end < expr.length() && expr.charAt(end) != '.' && expr.charAt(end) != '[') {
            char c = expr.charAt(end);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                throw bad(expr);
            }
            end++;
        }
        if (end == 0) {
            throw bad(expr);
        }
        String field = expr.substring(0, end);
        Object next = value instanceof Map ? ((Map<?, ?>) value).get(field) : null;
        return next == null ? null : apply(expr.substring(end), next);
    }

    private static CliException bad(String expr) {
        return new CliException(ExitCodes.USAGE, "unsupported --query expression near '" + expr
                + "' (supported: Name, A.B, List[0], List[*].Name)");
    }
}
