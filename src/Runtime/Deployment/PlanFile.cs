using System;
using System.IO;
using NuGet.Versioning;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// Reads plan.json for deployment: streaming (a large plan is never held as one string), with the
/// format version checked as a semantic version: the same major version is read (a newer minor
/// only adds fields), any other major version is refused with what to do.
/// </summary>
public static class PlanFile
{
    /// <summary>Reads a plan; a <see cref="FormatException"/> says what is wrong with it.</summary>
    public static Plan Read(TextReader reader) => PlanReader.Read(reader, CheckFormatVersion);

    public static Plan Read(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        return Read(reader);
    }

    /// <summary>Why this SchemaBuild cannot read a plan of that format version; null when it can.</summary>
    public static string? CheckFormatVersion(string text)
    {
        if (!NuGetVersion.TryParse(text, out var version))
        {
            return $"plan.json: 'formatVersion' is '{text}', which is not a version; this is not a plan SchemaBuild wrote";
        }

        if (version.Major > PlanJson.FormatVersion)
        {
            return $"plan.json is in plan format {version.ToNormalizedString()}, written by a newer SchemaBuild; this SchemaBuild reads format {PlanJson.FormatVersion}.x. "
                + "Deploy it with the SchemaBuild version that compiled it (update with 'dotnet tool update SchemaBuild.Tool'), or compile the plan again with this version";
        }

        if (version.Major < PlanJson.FormatVersion)
        {
            return $"plan.json is in plan format {version.ToNormalizedString()}, which this SchemaBuild no longer reads (it reads {PlanJson.FormatVersion}.x); compile the plan again with this version";
        }

        return null;
    }
}
