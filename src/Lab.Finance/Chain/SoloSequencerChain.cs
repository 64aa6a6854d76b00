using Lab.Ledger.State;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Chain;

/// <summary>Placement and parameters of a <see cref="SoloSequencerChain"/>.</summary>
public sealed record SoloSequencerOptions
{
    /// <summary>Replica names and regions; the first is the sequencer.</summary>
    public required IReadOnlyList<(string Name, int Region)> Replicas { get; init; }
    /// <summary>A block is cut when it holds this many transactions…</summary>
    public int MaxBlockTransactions { get; init; } = 1000;
    /// <summary>…or this long after its first transaction arrived.</summary>
    public Duration BlockTimeout { get; init; } = Duration.FromMillis(200);
    /// <summary>Replies (same height and outcome) a client waits for. Default: a majority of replicas.</summary>
    public int? MatchingReplies { get; init; }
    public Duration ClientRetry { get; init; } = Duration.FromSeconds(5);
    /// <summary>CPU to verify and store a block, per transaction (signature check of the request).</summary>
    public Duration CpuPerTransaction { get; init; } = Duration.FromMicros(20);
}

/// <summary>
/// A single sequencer orders transactions into blocks and sends them to every replica; replicas
/// apply blocks in height order and reply to the submitting node. Crash-tolerant only in the sense
/// that replicas catch up after a restart; if the sequencer is down, nothing commits (the
/// centralised baseline, like a solo orderer). Finality: a majority of replicas replied with the
/// same height and outcome. Stands in for Raft/PBFT until the experiment layer plugs them in.
/// </summary>
public sealed class SoloSequencerChain(SoloSequencerOptions options) : ISettlementChain
{
    public string Protocol => "solo-sequencer";

    public int MatchingReplies => options.MatchingReplies ?? options.Replicas.Count / 2 + 1;

    public string FinalityRule => $"{MatchingReplies} of {options.Replicas.Count} replicas replied with the same height and outcome";

    public IReadOnlyList<NodeSpec> Replicas(Func<IStateMachine> stateMachine)
    {
        var names = options.Replicas.Select(r => r.Name).ToArray();
        return options.Replicas.Select((r, i) => new NodeSpec(r.Name, r.Region, "replica",
            () => new SequencerReplica(names, i == 0, stateMachine(), options))).ToList();
    }

    public IChainClient NewClient() => new ReplyQuorumClient(new ReplyQuorumOptions(
        options.Replicas.Select(r => r.Name).ToArray(), MatchingReplies, SendToAll: false, options.ClientRetry));
}
