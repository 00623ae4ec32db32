package dev.alpharen.arsrv.runtime;

import dev.alpharen.arclst.Variables;
import org.apache.camel.TypeConverter;
import org.apache.camel.spi.VariableRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel's {@code cluster} variable repository over ARCLST's cluster variables, so that routes
 * read and write variables every node sees: {@code ${variable:cluster:name}} and
 * {@code setVariable: {name: "cluster:name", ...}}. Values are kept as text: what a route sets is
 * converted by Camel's type converters (an HTTP answer's bytes become their text, not
 * {@code [B@1b2c3}); setting null removes. Bound as {@value #BEAN}. Thread-safe.
 */
final class ClusterVariableRepository extends ServiceSupport implements VariableRepository {
  /** The registry name Camel looks up for the repository id {@code cluster}. */
  static final String BEAN = "cluster-variable-repository";

  private final Variables variables;
  private final TypeConverter converter;

  ClusterVariableRepository(Variables variables, TypeConverter converter) {
    this.variables = variables;
    this.converter = converter;
  }

  @Override
  public String getId() {
    return "cluster";
  }

  @Override
  public Object getVariable(String name) {
    return variables.get(name).orElse(null);
  }

  @Override
  public void setVariable(String name, Object value) {
    if (value == null) {
      variables.remove(name);
    } else {
      String text = converter.convertTo(String.class, value);
      variables.set(name, text != null ? text : value.toString());
    }
  }

  @Override
  public Object removeVariable(String name) {
    Object previous = getVariable(name);
    variables.remove(name);
    return previous;
  }
}
