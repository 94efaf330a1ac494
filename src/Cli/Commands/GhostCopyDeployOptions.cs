using System;
using System.CommandLine;
using System.Linq;
using SchemaBuild.Runtime.Online;

namespace SchemaBuild.Cli.Commands;

/// <summary>The deploy options of ghost copies: chunk time, throttling, cutover lock wait, <c>--drop-old</c>.</summary>
public sealed class GhostCopyDeployOptions
{
    public Option<double> ChunkTime { get; } = new("--chunk-time") { Description = "Ghost copy: seconds each copy chunk should take (the chunk size follows).", DefaultValueFactory = _ => 0.5 };

    public Option<int> MaxChunkRows { get; } = new("--max-chunk-rows") { Description = "Ghost copy: at most this many rows per copy chunk, however fast the copy is (bounds how long a chunk holds its row locks).", DefaultValueFactory = _ => GhostCopyOptions.Default.MaxChunkRows };

    public Option<int> MaxChunkRowsUnderWrites { get; } = new("--max-chunk-rows-under-writes")
    {
        Description = "Ghost copy: at most this many rows per copy chunk while the table is being written to (seen in the last 10s): writers' commits wait behind a chunk's, so smaller chunks keep their latency down (0: no cap, --max-chunk-rows only).",
        DefaultValueFactory = _ => GhostCopyOptions.Default.MaxChunkRowsUnderWrites,
    };

    public Option<int> MaxLoad { get; } = new("--max-load") { Description = "Ghost copy: pause copying while the server's Threads_running is above this (0: never).", DefaultValueFactory = _ => GhostCopyOptions.Default.MaxLoad };

    public Option<double> MaxLag { get; } = new("--max-lag") { Description = "Ghost copy: pause copying while a replica lags more than this many seconds.", DefaultValueFactory = _ => 5 };

    public Option<string[]> Replicas { get; } = new("--replica") { Description = "Ghost copy: a replica's connection URL whose lag is checked (repeatable).", AllowMultipleArgumentsPerToken = false };

    public Option<double> MaxSlotWal { get; } = new("--max-slot-wal") { Description = "Ghost copy on PostgreSQL: stop (and drop the replication slot) before the slot retains more WAL than this many GB; copying waits above half of it.", DefaultValueFactory = _ => GhostCopyOptions.Default.MaxSlotWalBytes / (1024.0 * 1024 * 1024) };

    public Option<double> CutoverLockWait { get; } = new("--cutover-lock-wait") { Description = "Ghost copy: seconds the cutover may wait for (and hold) its locks per attempt; it retries with backoff.", DefaultValueFactory = _ => 3 };

    public Option<bool> DropOld { get; } = new("--drop-old") { Description = "Ghost copy: drop the old table right after the cutover instead of keeping it until 'dotnet schema complete'." };

    public Option<string> RevertWindow { get; } = new("--revert-window")
    {
        Description = "Ghost copy: how long after the cutover the old table is kept in sync in reverse, so 'dotnet schema revert' can swap back with every write kept (30m, 90s, 1h; a bare number is minutes; 0: no window). The deploy keeps it in sync until it ends.",
        DefaultValueFactory = _ => "30m",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { ChunkTime, MaxChunkRows, MaxChunkRowsUnderWrites, MaxLoad, MaxLag, Replicas, MaxSlotWal, CutoverLockWait, DropOld, RevertWindow })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>A duration written <c>90s</c>, <c>30m</c>, <c>1h</c> or a bare number of minutes.</summary>
    internal static TimeSpan Duration(string option, string text)
    {
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 'm';
        var number = char.IsLetter(text.Length > 0 ? text[^1] : '0') ? text[..^1] : text;
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 0 || unit is not ('s' or 'm' or 'h'))
        {
            throw new UsageException($"{option}: '{text}' is not a duration; write it as 90s, 30m, 1h, or a number of minutes (0: none)");
        }

        return unit switch { 's' => TimeSpan.FromSeconds(value), 'h' => TimeSpan.FromHours(value), _ => TimeSpan.FromMinutes(value) };
    }

    public GhostCopyOptions Read(ParseResult parseResult)
    {
        var chunk = parseResult.GetValue(ChunkTime);
        var lag = parseResult.GetValue(MaxLag);
        var cutover = parseResult.GetValue(CutoverLockWait);
        if (chunk <= 0 || lag <= 0 || cutover <= 0 || parseResult.GetValue(MaxLoad) < 0)
        {
            throw new UsageException("--chunk-time, --max-lag and --cutover-lock-wait must be positive, --max-load 0 or more");
        }

        var slotWal = parseResult.GetValue(MaxSlotWal);
        if (slotWal <= 0)
        {
            throw new UsageException("--max-slot-wal must be positive (GB of WAL the replication slot may retain)");
        }

        var maxChunkRows = parseResult.GetValue(MaxChunkRows);
        if (maxChunkRows < GhostCopyOptions.Default.MinChunkRows)
        {
            throw new UsageException($"--max-chunk-rows must be at least {GhostCopyOptions.Default.MinChunkRows}");
        }

        // 0 is no cap: the copy loop takes the smaller of the sized chunk and this bound.
        var underWrites = parseResult.GetValue(MaxChunkRowsUnderWrites);
        if (underWrites != 0 && underWrites < GhostCopyOptions.Default.MinChunkRows)
        {
            throw new UsageException($"--max-chunk-rows-under-writes {underWrites}: must be 0 (no cap while written to) or at least {GhostCopyOptions.Default.MinChunkRows} rows");
        }

        return GhostCopyOptions.Default with
        {
            ChunkTime = TimeSpan.FromSeconds(chunk),
            MaxChunkRows = maxChunkRows,
            MaxChunkRowsUnderWrites = underWrites == 0 ? int.MaxValue : underWrites,
            MaxLoad = parseResult.GetValue(MaxLoad),
            MaxLag = TimeSpan.FromSeconds(lag),
            MaxSlotWalBytes = (long)(slotWal * 1024 * 1024 * 1024),
            Replicas = (parseResult.GetValue(Replicas) ?? Array.Empty<string>()).ToList(),
            CutoverLockWait = TimeSpan.FromSeconds(cutover),
            DropOld = parseResult.GetValue(DropOld),
            RevertWindow = Duration("--revert-window", parseResult.GetValue(RevertWindow) ?? "0"),
        };
    }
}
