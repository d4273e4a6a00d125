package dev.errand.internal.operator;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Marks Errand's operator endpoints, so that a filter can apply to them alone: in a service without
 * a security extension, {@link dev.errand.internal.security.OperatorApiWithoutSecurity} refuses them.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface OperatorApi {
}
