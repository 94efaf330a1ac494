using System;

namespace SchemaBuild.Runtime.Introspection;

/// <summary>The live schema could not be read or did not parse; the message names the object and what to do.</summary>
public sealed class IntrospectionException : Exception
{
    public IntrospectionException(string message)
        : base(message)
    {
    }

    public IntrospectionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
