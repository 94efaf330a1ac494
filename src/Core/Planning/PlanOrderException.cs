using System;

namespace SchemaBuild.Core.Planning;

/// <summary>No order of the changes satisfies their dependencies; the message names the cycle.</summary>
public sealed class PlanOrderException : Exception
{
    public PlanOrderException(string message)
        : base(message)
    {
    }
}
