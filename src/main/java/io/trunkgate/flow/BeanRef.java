package io.trunkgate.flow;

import java.util.function.Supplier;

import org.apache.camel.CamelContext;

/**
 * A dependency on a named bean of {@link TrunkgateBeans}, looked up in the registry at its first use (after every
 * binding, YAML {@code beans:} included) and kept: what an application bound under the name is what every user of
 * it gets.
 */
public final class BeanRef<T> implements Supplier<T> {

    private final CamelContext context;
    private final String name;
    private final Class<T> type;
    private volatile T bean;

    private BeanRef(CamelContext context, String name, Class<T> type, T bean) {
        this.context = context;
        this.name = name;
        this.type = type;
        this.bean = bean;
    }

    /** The bean bound under {@code name} in {@code context}, resolved at the first {@link #get()}. */
    public static <T> BeanRef<T> of(CamelContext context, String name, Class<T> type) {
        return new BeanRef<>(context, name, type, null);
    }

    /** A given bean (tests, and code that builds its parts without a registry). */
    public static <T> BeanRef<T> to(T bean) {
        return new BeanRef<>(null, null, null, bean);
    }

    @Override
    public T get() {
        T b = bean;
        if (b == null) {
            b = TrunkgateBeans.lookup(context, name, type);
            bean = b;
        }
        return b;
    }

    @Override
    public String toString() {
        return name != null ? name : String.valueOf(bean);
    }
}
