using System.Diagnostics;
using System.Linq;

namespace SchemaBuild.Core.Bench;

/// <summary>CPU time of this process and the median of repeated rounds: on a shared machine the steadier numbers.</summary>
internal static class CpuRounds
{
    public static double Seconds(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    public static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }
}
