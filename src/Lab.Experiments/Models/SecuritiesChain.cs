using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.HotStuff;
using Lab.Consensus.Pbft;
using Lab.Consensus.Raft;
using Lab.Consensus.Solo;
using Lab.Finance.Chain;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// The consortium chain of an on-chain securities run: <c>chain.nodes</c> replicas of
/// <c>chain.protocol</c> named <c>n0..</c>, placed by <c>chain.placement</c>, each around its own DvP
/// contract runtime, behind a <see cref="ConsensusChain"/>. Replicas must be the first nodes of the
/// run (protocols address each other by node index), so <see cref="SecuritiesModel"/> puts them first.
/// Reply quorum: one committed reply for raft and solo (leader/orderer answers), f+1 for BFT.
/// </summary>
public static class SecuritiesChain
{
    public static readonly IReadOnlyList<string> Protocols = ["raft", "pbft", "hotstuff", "solo"];

    public static ISettlementChain Build(RunContext context)
    {
        var c = context.Config;
        var protocol = c.Text("chain.protocol");
        var n = c.Int("chain.nodes");
        // Transactions come from the exchange, not from signing clients: signatures cost CPU time only.
        var configured = ChainConfig.Chain(context);
        var chain = configured with { Signing = new TransactionSigning(SignatureMode.Modelled, configured.Signing.Costs) };
        var names = Enumerable.Range(0, n).Select(i => $"n{i}").ToArray();
        var ids = Enumerable.Range(0, n).Select(i => new NodeId(i)).ToArray();
        var f = (n - 1) / 3;
        var retry = Duration.FromSeconds(2);

        IReadOnlyList<NodeSpec> Replicas(Func<IStateMachine> sm, Func<int, Func<INodeBehaviour>> replica) =>
            [.. Enumerable.Range(0, n).Select(i => new NodeSpec(names[i], context.RegionOf(i), "replica", replica(i)))];

        switch (protocol)
        {
            case "raft":
            {
                var raft = RaftModel.Options(c);
                raft.Validate();
                return new ConsensusChain("raft",
                    sm => Replicas(sm, i => () => new RaftReplica(raft, chain with { StateMachine = sm }, ids)),
                    new ReplyQuorumOptions(names, MatchingReplies: 1, SendToAll: false, retry));
            }
            case "solo":
            {
                var solo = SoloModel.Options(c);
                return new ConsensusChain("solo",
                    sm => Replicas(sm, i => i == 0
                        ? () => new SoloOrderer(solo, chain with { StateMachine = sm }, ids[1..])
                        : () => new SoloPeer(chain with { StateMachine = sm }, ids[0])),
                    new ReplyQuorumOptions(names, MatchingReplies: 1, SendToAll: false, retry));
            }
            case "pbft":
            {
                var committee = BftCommittee.Simple(n);
                var pbft = PbftModel.Options(c);
                return new ConsensusChain("pbft",
                    sm => Replicas(sm, i => () => new PbftReplica(i, pbft with { StateMachine = sm }, committee, new ByzantineRole(i, committee, []))),
                    new ReplyQuorumOptions(names, MatchingReplies: f + 1, SendToAll: false, retry));
            }
            case "hotstuff":
            {
                var committee = BftCommittee.Simple(n);
                var hs = HotStuffModel.Options(c);
                return new ConsensusChain("hotstuff",
                    sm => Replicas(sm, i => () => new HotStuffReplica(i, hs with { StateMachine = sm }, committee, new ByzantineRole(i, committee, []))),
                    new ReplyQuorumOptions(names, MatchingReplies: f + 1, SendToAll: true, retry));
            }
            default:
                throw new ArgumentException($"securities on chain supports chain.protocol {string.Join(", ", Protocols)}, not '{protocol}'");
        }
    }
}
