using Lab.Consensus.Byzantine;
using Lab.Sim.Nodes;

namespace Lab.Consensus.HotStuff;

/// <summary>
/// Checks HotStuff's certificates as a receiver must: a QC holds n−f signatures of distinct committee
/// members, each on exactly the (view, height, node) it certifies; a TC holds n−f signed timeouts for
/// its view from distinct members, and its high QC is a valid QC of the highest view they report.
/// A certificate costs one aggregate verification (<see cref="AuthenticationCosts.VerifyAggregate"/>)
/// the first time this replica sees it; the same certificate object again is not re-verified.
/// </summary>
public sealed class HotStuffCertificates(BftCommittee committee, Authenticator auth, AuthenticationCosts costs)
{
    private readonly HashSet<object> _verified = new(ReferenceEqualityComparer.Instance);

    /// <summary>Remembers a certificate this replica built itself from verified votes.</summary>
    public void Trust(object certificate) => _verified.Add(certificate);

    /// <summary>Forgets verified certificates below <paramref name="view"/> (they are only re-verified if seen again).</summary>
    public void ForgetBelow(long view)
    {
        _forgetBelow = view;
        _verified.RemoveWhere(_isOld ??= IsOld); // one delegate for the replica, not a closure per view
    }

    private long _forgetBelow;
    private Predicate<object>? _isOld;

    private bool IsOld(object c) => c switch
    {
        QuorumCert qc => qc.View < _forgetBelow,
        TimeoutCert tc => tc.View < _forgetBelow,
        _ => true,
    };

    public bool Qc(INodeContext ctx, QuorumCert qc)
    {
        if (qc.IsGenesis || _verified.Contains(qc)) return true;
        if (!Structure(qc.Votes, static s => s.Signer)) return false;
        Charge(ctx);
        var statement = qc.Statement;
        for (int i = 0; i < qc.Votes.Count; i++)
            if (!auth.Verify(qc.Votes[i], statement, committee.N)) return false;
        _verified.Add(qc);
        return true;
    }

    public bool Tc(INodeContext ctx, TimeoutCert tc)
    {
        if (_verified.Contains(tc)) return true;
        if (!Structure(tc.Votes, static v => v.Sig.Signer)) return false;
        if (tc.HighQc.View != tc.Votes.Max(v => v.HighQcView)) return false;
        Charge(ctx);
        foreach (var v in tc.Votes)
            if (!auth.Verify(v.Sig, NewView.For(tc.View, v.HighQcView), committee.N)) return false;
        if (!Qc(ctx, tc.HighQc)) return false;
        _verified.Add(tc);
        return true;
    }

    /// <summary>At least a quorum of signers, in strictly ascending replica order (so distinct), all members.</summary>
    private bool Structure<T>(IReadOnlyList<T> votes, Func<T, int> signer)
    {
        if (votes.Count < committee.Quorum) return false;
        for (int i = 0; i < votes.Count; i++)
        {
            var r = signer(votes[i]);
            if (r < 0 || r >= committee.N || (i > 0 && r <= signer(votes[i - 1]))) return false;
        }
        return true;
    }

    private void Charge(INodeContext ctx)
    {
        if (costs.VerifyAggregate.Nanos > 0) ctx.ChargeCpu(costs.VerifyAggregate);
    }
}
