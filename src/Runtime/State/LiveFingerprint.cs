using System.Linq;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Serialization;

namespace SchemaBuild.Runtime.State;

/// <summary>
/// A model as far as the live database can show it: verbatim statements the introspector does not
/// read back (grants, rules, ...) and acknowledgements left out. What a deployment compares the
/// live schema with, and what tells whether the recorded deployed model is still the live one.
/// </summary>
internal static class LiveFingerprint
{
    public static Schema Comparable(Schema schema) =>
        schema with { Verbatim = schema.Verbatim.Where(v => v.ReadBack).ToEquatableList(), Allowances = EquatableList<Allowance>.Empty };

    public static string Of(Schema schema) => ModelFingerprint.Compute(Comparable(schema));
}
