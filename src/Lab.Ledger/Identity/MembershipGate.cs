using Lab.Sim.Nodes;

namespace Lab.Ledger.Identity;

/// <summary>
/// A node's door: built at start from the run's node directory and the consortium, it admits
/// messages by sender in O(1). With no consortium (an open chain) everything is admitted.
/// Refused messages are dropped and counted as <c>rejected_messages</c>.
/// </summary>
public sealed class MembershipGate
{
    private readonly bool[]? _validator;
    private readonly bool[]? _submitter;
    private readonly bool[]? _member;

    public MembershipGate(Consortium? consortium, NodeDirectory directory)
    {
        if (consortium is null) return;
        _validator = new bool[directory.Count];
        _submitter = new bool[directory.Count];
        _member = new bool[directory.Count];
        foreach (var n in directory.All)
        {
            var name = directory.Name(n);
            _member[n.Value] = consortium.IsMember(name);
            _validator[n.Value] = consortium.MayValidate(name);
            _submitter[n.Value] = consortium.MaySubmit(name);
        }
    }

    public bool IsOpen => _member is null;

    /// <summary>Protocol messages are admitted from validators only.</summary>
    public bool AdmitProtocol(INodeContext ctx, NodeId from) => Admit(ctx, _validator, from);

    /// <summary>Transaction submissions are admitted from members that may write.</summary>
    public bool AdmitSubmission(INodeContext ctx, NodeId from) => Admit(ctx, _submitter, from);

    /// <summary>Any member (e.g. a read-only regulator asking for blocks).</summary>
    public bool AdmitMember(INodeContext ctx, NodeId from) => Admit(ctx, _member, from);

    private static bool Admit(INodeContext ctx, bool[]? allowed, NodeId from)
    {
        if (allowed is null || from == ctx.Self || allowed[from.Value]) return true;
        ctx.Metrics.Add(LedgerMetrics.RejectedMessages);
        return false;
    }
}
