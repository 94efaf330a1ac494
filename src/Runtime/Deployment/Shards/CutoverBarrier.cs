using System;
using System.Collections.Generic;
using System.Linq;

namespace SchemaBuild.Runtime.Deployment.Shards;

/// <summary>
/// The cross-shard barrier of one deploy process (docs/deploy.md, "Shards"). Each shard's ghost-copy
/// group polls it from its gate loop (through <see cref="Online.GhostCopyOptions.CutoverBarrier"/>),
/// which also says the shard has arrived, in sync. The orchestrator opens it once every unfinished shard
/// is waiting and none has failed; it then stays open for every shard at that gate (a generation: a
/// plan with two runs of ghost copies meets the barrier twice). It holds only in memory: when the
/// process dies, the next <c>deploy --targets</c> resumes every shard from its checkpoints and they
/// meet here again; approvals already written to the control tables do not let a shard through alone.
/// </summary>
internal sealed class CutoverBarrier
{
    private readonly object sync = new();
    private readonly Dictionary<string, Position> shards;
    private int opened;

    public CutoverBarrier(IEnumerable<string> names) => shards = names.ToDictionary(n => n, _ => new Position(), StringComparer.Ordinal);

    /// <summary>Raised (outside the lock) the first time a shard arrives at a gate.</summary>
    public event Action<string>? Arrived;

    /// <summary>Set when the deployment was cancelled on any shard: failed shards stop retrying.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>
    /// Called from the shard's gate loop: true once the barrier is open for the gate the shard waits at
    /// and the shard has read its approval (<paramref name="approved"/>): it then goes on to cut over.
    /// </summary>
    public bool Poll(string shard, bool approved)
    {
        bool first;
        lock (sync)
        {
            var position = shards[shard];
            if (approved && position.Generation < opened)
            {
                position.Generation++;
                position.Waiting = false;
                return true;
            }

            first = !position.Waiting;
            position.Waiting = true;
            position.Failure = null;
        }

        if (first)
        {
            Arrived?.Invoke(shard);
        }

        return false;
    }

    /// <summary>The shard's deploy finished: it is past every gate.</summary>
    public void Finished(string shard)
    {
        lock (sync)
        {
            shards[shard].Finished = true;
            shards[shard].Waiting = false;
        }
    }

    /// <summary>The shard's deploy failed (it is retried); nobody cuts over meanwhile.</summary>
    public void Failed(string shard, string failure)
    {
        lock (sync)
        {
            shards[shard].Failure = failure;
            shards[shard].Waiting = false;
        }
    }

    /// <summary>The shard's deploy runs again after a failure.</summary>
    public void Retrying(string shard)
    {
        lock (sync)
        {
            shards[shard].Failure = null;
        }
    }

    public void Cancel()
    {
        lock (sync)
        {
            Cancelled = true;
        }
    }

    /// <summary>Every unfinished shard waits at the same gate, none failed, at least one waits: the cutover may be approved.</summary>
    public bool AllWaiting
    {
        get
        {
            lock (sync)
            {
                var open = shards.Values.Where(p => !p.Finished).ToList();
                return open.Count > 0 && open.All(p => p.Waiting && p.Generation == opened && p.Failure is null);
            }
        }
    }

    /// <summary>Shards that are not finished and not failed: while there are some, a failed shard is worth retrying (they wait for it).</summary>
    public bool AnyHealthyUnfinished
    {
        get
        {
            lock (sync)
            {
                return shards.Values.Any(p => !p.Finished && p.Failure is null);
            }
        }
    }

    /// <summary>Shards whose deploy finished.</summary>
    public int FinishedCount
    {
        get
        {
            lock (sync)
            {
                return shards.Values.Count(p => p.Finished);
            }
        }
    }

    /// <summary>Shards that are not at the gate yet, with their failure when they failed, for the progress line.</summary>
    public IReadOnlyList<(string Shard, string? Failure)> NotWaiting
    {
        get
        {
            lock (sync)
            {
                return shards.Where(s => !s.Value.Finished && !(s.Value.Waiting && s.Value.Generation == opened)).Select(s => (s.Key, s.Value.Failure)).ToList();
            }
        }
    }

    /// <summary>Lets every shard waiting at the current gate through (when it polls next).</summary>
    public void Open()
    {
        lock (sync)
        {
            opened++;
        }
    }

    private sealed class Position
    {
        public int Generation;
        public bool Waiting;
        public bool Finished;
        public string? Failure;
    }
}
