using Lab.Consensus.Byzantine;
using Lab.Consensus.HotStuff;
using Lab.Ledger.Crypto;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.HotStuff;

/// <summary>QCs and TCs carry their signers and are checked against the committee and the signed value (n = 4, f = 1).</summary>
public class HotStuffCertificateTests
{
    private const int N = 4;
    private static readonly BftCommittee Committee = BftCommittee.Simple(N);
    private static readonly Authenticator[] Key = Enumerable.Range(0, N).Select(r => new Authenticator(r, CommitteeKeys.Modelled)).ToArray();
    private static readonly Hash Node = Hash.Of([7]);

    private static HotStuffCertificates Checker(AuthenticationCosts? costs = null) => new(Committee, new Authenticator(3, CommitteeKeys.Modelled), costs ?? AuthenticationCosts.Free);

    private static QuorumCert Qc(long view, Hash node, params int[] signers) =>
        new(view, node, 5, signers.Select(r => Key[r].Sign(Vote.For(view, 5, node))).ToList());

    [Fact]
    public void A_QC_of_2f_plus_1_committee_votes_on_its_view_and_node_holds() =>
        Assert.True(Checker().Qc(new ManualNodeContext(), Qc(9, Node, 0, 1, 2)));

    [Theory]
    [InlineData("only 2f votes")]
    [InlineData("one signer twice")]
    [InlineData("a signer outside the committee")]
    [InlineData("votes for another node relabelled")]
    [InlineData("votes from an earlier view relabelled")]
    [InlineData("a vote forged with another key")]
    public void A_QC_is_refused_with(string tampering)
    {
        var good = Qc(9, Node, 0, 1, 2);
        var qc = tampering switch
        {
            "only 2f votes" => Qc(9, Node, 0, 1),
            "one signer twice" => good with { Votes = [good.Votes[0], good.Votes[1], good.Votes[1]] },
            "a signer outside the committee" => good with { Votes = [good.Votes[0], good.Votes[1], good.Votes[2] with { Signer = 7 }] },
            "votes for another node relabelled" => Qc(9, Hash.Of([8]), 0, 1, 2) with { Node = Node },
            "votes from an earlier view relabelled" => Qc(8, Node, 0, 1, 2) with { View = 9 },
            "a vote forged with another key" => good with { Votes = [good.Votes[0], good.Votes[1], Key[0].ForgeAs(2, good.Statement)] },
            _ => throw new ArgumentException(tampering),
        };
        Assert.False(Checker().Qc(new ManualNodeContext(), qc));
    }

    [Fact]
    public void A_QC_costs_one_aggregate_verification_the_first_time_only()
    {
        var costs = AuthenticationCosts.Free with { VerifyAggregate = Duration.FromMicros(140) };
        var checker = Checker(costs);
        var ctx = new ManualNodeContext();
        var qc = Qc(9, Node, 0, 1, 2);
        Assert.True(checker.Qc(ctx, qc));
        Assert.True(checker.Qc(ctx, qc));
        Assert.Equal(Duration.FromMicros(140), ctx.Cpu);
        Assert.True(checker.Qc(ctx, HsNode.GenesisQc));
        Assert.Equal(Duration.FromMicros(140), ctx.Cpu);
    }

    private static TimeoutCert Tc(long view, QuorumCert high, params (int Replica, long HighQcView)[] votes) =>
        new(view, high, votes.Select(v => new TimeoutVote(v.HighQcView, Key[v.Replica].Sign(NewView.For(view, v.HighQcView)))).ToList());

    [Fact]
    public void A_TC_holds_2f_plus_1_signed_timeouts_and_the_QC_of_the_highest_view_they_report()
    {
        var high = Qc(9, Node, 0, 1, 2);
        Assert.True(Checker().Tc(new ManualNodeContext(), Tc(12, high, (0, 9), (1, 7), (3, 9))));
        Assert.False(Checker().Tc(new ManualNodeContext(), Tc(12, high, (0, 9), (1, 7))), "2f timeouts");
        Assert.False(Checker().Tc(new ManualNodeContext(), Tc(12, high, (0, 9), (1, 10), (3, 9))), "someone reported a higher QC than the one carried");
        Assert.False(Checker().Tc(new ManualNodeContext(), Tc(11, high, (0, 9), (1, 7), (3, 9)) with { View = 12 }), "timeouts of another view");
        Assert.False(Checker().Tc(new ManualNodeContext(), Tc(12, Qc(9, Node, 0, 1), (0, 9), (1, 7), (3, 9))), "its high QC does not hold");
    }
}
