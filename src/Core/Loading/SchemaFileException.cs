using System;

namespace SchemaBuild.Core.Loading;

/// <summary>A schema file or folder that cannot be read; the message names it and says what to do.</summary>
public sealed class SchemaFileException : Exception
{
    public SchemaFileException(string message)
        : base(message)
    {
    }
}
