using Lab.Consensus.Byzantine;
using Lab.Consensus.Pbft;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pbft;

/// <summary>
/// PBFT's certificates checked by a receiver (Castro &amp; Liskov TOCS'02 §4.3–4.4), n = 4, f = 1:
/// each tampering a Byzantine replica could try is refused, the genuine certificate is accepted.
/// </summary>
public class PbftCertificateTests
{
    private const int N = 4;
    private static readonly BftCommittee Committee = BftCommittee.Simple(N);
    private static readonly Authenticator[] Key = Enumerable.Range(0, N).Select(r => new Authenticator(r, CommitteeKeys.Modelled)).ToArray();
    private static readonly PbftCertificates Checker = new(Committee, new Authenticator(3, CommitteeKeys.Modelled), AuthenticationCosts.Free, 256);
    private static readonly ManualNodeContext Ctx = new(N, 3);

    private static Block Batch(long seq, int salt = 0) =>
        new(seq, Hash.Zero, [new Transaction(new TxId(1000 * seq + salt), "c", null, 100, SimTime.Zero)], "n0");

    private static PrePrepare PrePrepareOf(long view, Block b, int? signer = null)
    {
        var primary = (int)(view % N);
        return new PrePrepare(view, b.Height, b.Hash, b, Key[signer ?? primary].Sign(PrePrepare.For(view, b.Height, b.Hash)));
    }

    private static Prepare PrepareOf(int replica, long view, long seq, Hash digest) =>
        new(view, seq, digest, replica, Key[replica].Sign(Prepare.For(view, seq, digest)));

    private static PreparedCertificate Prepared(long view, Block b)
    {
        var primary = (int)(view % N);
        var prepares = Enumerable.Range(0, N).Where(r => r != primary).Take(2).Select(r => PrepareOf(r, view, b.Height, b.Hash)).ToList();
        return new PreparedCertificate(PrePrepareOf(view, b), prepares);
    }

    private static ViewChange ViewChangeOf(int replica, long newView, params PreparedCertificate[] prepared) =>
        new(newView, CheckpointCertificate.Genesis, prepared, replica, Key[replica].Sign(ViewChange.For(newView, CheckpointCertificate.Genesis, prepared)));

    private static NewView NewViewOf(long view, IReadOnlyList<ViewChange> v, IReadOnlyList<Block> o)
    {
        var primary = (int)(view % N);
        var pps = o.Select(b => new PrePrepare(view, b.Height, b.Hash, b, Key[primary].Sign(PrePrepare.For(view, b.Height, b.Hash)))).ToList();
        return new NewView(view, v, pps, Key[primary].Sign(NewView.For(view, v, pps)));
    }

    private static bool Check(NewView nv) => Checker.NewView(Ctx, nv, _ => false, signatureChecked: false);

    [Fact]
    public void A_prepared_certificate_of_the_primarys_pre_prepare_and_2f_matching_prepares_holds() =>
        Assert.True(Checker.Prepared(Ctx, Prepared(1, Batch(5))));

    [Theory]
    [InlineData("a prepare signed for another digest")]
    [InlineData("only 2f - 1 prepares")]
    [InlineData("the primary counted as a preparer")]
    [InlineData("one backup twice")]
    [InlineData("a prepare forged with another key")]
    [InlineData("a pre-prepare not by the view's primary")]
    [InlineData("a batch that does not match the digest")]
    public void A_prepared_certificate_is_refused_with(string tampering)
    {
        var b = Batch(5);
        var good = Prepared(1, b);
        var other = Batch(5, salt: 1);
        var cert = tampering switch
        {
            "a prepare signed for another digest" => good with { Prepares = [good.Prepares[0], good.Prepares[1] with { Digest = other.Hash }] },
            "only 2f - 1 prepares" => good with { Prepares = [good.Prepares[0]] },
            "the primary counted as a preparer" => good with { Prepares = [good.Prepares[0], PrepareOf(1, 1, 5, b.Hash)] },
            "one backup twice" => good with { Prepares = [good.Prepares[0], good.Prepares[0]] },
            "a prepare forged with another key" => good with { Prepares = [good.Prepares[0], good.Prepares[1] with { Sig = Key[0].ForgeAs(good.Prepares[1].Replica, good.Prepares[1].Statement) }] },
            "a pre-prepare not by the view's primary" => good with { PrePrepare = PrePrepareOf(1, b, signer: 2) },
            "a batch that does not match the digest" => good with { PrePrepare = good.PrePrepare with { Batch = other } },
            _ => throw new ArgumentException(tampering),
        };
        Assert.False(Checker.Prepared(Ctx, cert));
    }

    [Fact]
    public void A_stable_checkpoint_needs_2f_plus_1_matching_checkpoint_messages()
    {
        var state = Hash.Of([1, 2, 3]);
        Checkpoint Cp(int r, Hash s) => new(128, s, r, Key[r].Sign(Checkpoint.For(128, s)));
        Assert.True(Checker.Stable(Ctx, new CheckpointCertificate(128, state, [Cp(0, state), Cp(1, state), Cp(2, state)])));
        Assert.False(Checker.Stable(Ctx, new CheckpointCertificate(128, state, [Cp(0, state), Cp(1, state)])));
        Assert.False(Checker.Stable(Ctx, new CheckpointCertificate(128, state, [Cp(0, state), Cp(1, state), Cp(2, Hash.Of([9]))])));
        Assert.False(Checker.Stable(Ctx, new CheckpointCertificate(128, state, [Cp(0, state), Cp(1, state), Cp(1, state)])));
        Assert.False(Checker.Stable(Ctx, new CheckpointCertificate(128, state, [])), "a checkpoint above 0 without proof");
    }

    [Fact]
    public void O_keeps_each_prepared_request_at_its_number_with_the_highest_view_and_fills_gaps_with_null_requests()
    {
        var old = Prepared(0, Batch(1));
        var newer = Prepared(1, Batch(1, salt: 1));
        var third = Prepared(0, Batch(3));
        var o = PbftCertificates.Reissue([ViewChangeOf(0, 2, old, third), ViewChangeOf(2, 2, newer), ViewChangeOf(3, 2)]);
        Assert.Equal([1L, 2L, 3L], o.Select(b => b.Height));
        Assert.Equal(newer.Digest, o[0].Hash);
        Assert.Equal(PbftCertificates.NullBatch(2).Hash, o[1].Hash);
        Assert.Equal(third.Digest, o[2].Hash);
    }

    [Fact]
    public void A_new_view_whose_O_follows_from_V_holds()
    {
        var v = new[] { ViewChangeOf(0, 2, Prepared(1, Batch(1))), ViewChangeOf(2, 2), ViewChangeOf(3, 2) };
        Assert.True(Check(NewViewOf(2, v, PbftCertificates.Reissue(v))));
    }

    [Theory]
    [InlineData("drops a prepared request from O")]
    [InlineData("adds a request to O")]
    [InlineData("strips the certificate from a view-change in V")]
    [InlineData("has only 2f view-changes in V")]
    [InlineData("counts one view-change twice")]
    [InlineData("holds a view-change with a forged prepared certificate")]
    [InlineData("holds a view-change for another view")]
    public void A_new_view_is_refused_when_the_primary(string lie)
    {
        var prepared = Prepared(1, Batch(1));
        var v = new[] { ViewChangeOf(0, 2, prepared), ViewChangeOf(2, 2), ViewChangeOf(3, 2) };
        var o = PbftCertificates.Reissue(v);
        var forged = prepared with { Prepares = [.. prepared.Prepares.Select(p => p with { Sig = Key[0].ForgeAs(p.Replica, p.Statement) })] };
        var nv = lie switch
        {
            "drops a prepared request from O" => NewViewOf(2, v, [PbftCertificates.NullBatch(1)]),
            "adds a request to O" => NewViewOf(2, v, [.. o, Batch(2)]),
            // The primary keeps n0's signature but removes the certificate it signed for.
            "strips the certificate from a view-change in V" => NewViewOf(2, [v[0] with { Prepared = [] }, v[1], v[2]], [PbftCertificates.NullBatch(1)]),
            "has only 2f view-changes in V" => NewViewOf(2, [v[0], v[1]], o),
            "counts one view-change twice" => NewViewOf(2, [v[0], v[1], v[1]], o),
            "holds a view-change with a forged prepared certificate" => NewViewOf(2, [ViewChangeOf(0, 2, forged), v[1], v[2]], o),
            "holds a view-change for another view" => NewViewOf(2, [v[0], v[1], ViewChangeOf(3, 1)], o),
            _ => throw new ArgumentException(lie),
        };
        Assert.False(Check(nv));
    }

    [Fact]
    public void A_new_view_not_signed_by_the_new_primary_is_refused()
    {
        var v = new[] { ViewChangeOf(0, 2), ViewChangeOf(1, 2), ViewChangeOf(3, 2) };
        var nv = NewViewOf(2, v, []);
        Assert.False(Check(nv with { Sig = Key[1].ForgeAs(2, nv.Statement) }));
        Assert.False(Check(nv with { Sig = Key[1].Sign(nv.Statement) }));
    }

    [Fact]
    public void A_view_change_with_a_certificate_at_or_below_its_stable_checkpoint_or_from_a_later_view_is_refused()
    {
        Assert.True(Checker.ViewChange(Ctx, ViewChangeOf(0, 2, Prepared(1, Batch(1)))));
        Assert.False(Checker.ViewChange(Ctx, ViewChangeOf(0, 1, Prepared(1, Batch(1)))), "a certificate from the view it asks to leave or later");
        Assert.False(Checker.ViewChange(Ctx, ViewChangeOf(0, 2, Prepared(1, Batch(1)), Prepared(0, Batch(1, salt: 1)))), "two certificates for one number");
    }
}
