using System;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace SchemaBuild.Tasks;

/// <summary>
/// Hands the analyzer the severities the build uses. Roslyn does not apply .editorconfig severities
/// to diagnostics on AdditionalFiles, and an analyzer may not read files itself, so the build reads
/// them and passes <c>SB1002=warning;...</c> as a compiler-visible property.
/// </summary>
public sealed class ResolveSchemaSeverities : Task
{
    public ITaskItem[] SchemaFiles { get; set; } = Array.Empty<ITaskItem>();

    public string? Severity { get; set; }

    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    [Output]
    public string Severities { get; private set; } = string.Empty;

    public override bool Execute()
    {
        var directory = Core.Rules.SchemaSeverities.SchemaDirectory(SchemaFiles.Select(f => f.GetMetadata("FullPath")), ProjectDirectory);
        try
        {
            Severities = Core.Rules.SchemaSeverities.Resolve(directory, Severity).ToString();
            return true;
        }
        catch (FormatException ex)
        {
            // CompileSchemaPlan reports the bad property with its code; the analyzer just keeps the defaults.
            Log.LogMessage(MessageImportance.Low, "SchemaSeverity: " + ex.Message);
            return true;
        }
    }
}
