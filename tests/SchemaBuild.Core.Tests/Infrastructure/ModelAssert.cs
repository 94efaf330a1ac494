using System;
using SchemaBuild.Core.Model;
using Xunit.Sdk;

namespace SchemaBuild.Core.Tests.Infrastructure;

/// <summary>Model equality with a readable list of differences on failure.</summary>
public static class ModelAssert
{
    public static void Equal(Schema expected, Schema actual, string? context = null)
    {
        if (expected.Equals(actual))
        {
            return;
        }

        var differences = ModelComparer.Differences(expected, actual);
        throw new XunitException(
            (context is null ? string.Empty : context + "\n")
            + "models differ (expected != actual):\n  " + string.Join("\n  ", differences));
    }
}
