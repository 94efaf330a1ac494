using System.Linq;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Serialization;
using Xunit.Sdk;

namespace SchemaBuild.Runtime.Tests;

/// <summary>Model equality by fingerprint (annotations and source spans ignored, verbatim statements the server does not read back left out), with a readable difference.</summary>
public static class ModelAssert
{
    public static void Same(Schema expected, Schema actual, string context)
    {
        var e = expected with { Verbatim = expected.Verbatim.Where(v => v.ReadBack).ToEquatableList(), Allowances = EquatableList<Allowance>.Empty };
        var a = actual with { Verbatim = actual.Verbatim.Where(v => v.ReadBack).ToEquatableList(), Allowances = EquatableList<Allowance>.Empty };
        if (ModelFingerprint.Compute(e) != ModelFingerprint.Compute(a))
        {
            throw new XunitException(context + "\nmodels differ (expected != actual):\n  " + string.Join("\n  ", ModelComparer.Differences(e, a)));
        }
    }
}
