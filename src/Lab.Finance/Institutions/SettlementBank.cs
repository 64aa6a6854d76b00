using Lab.Finance.Securities;
using Lab.Sim.Nodes;

namespace Lab.Finance.Institutions;

/// <summary>The cash settlement bank: members' cash accounts (minor units). Reports balances to the CSD before a batch and books its net postings.</summary>
public sealed class SettlementBank(OpeningPositions opening) : INodeBehaviour
{
    private long[] _cash = [];
    public IReadOnlyList<long> Cash => _cash;

    public void OnStart(INodeContext ctx) => _cash = ctx.Storage.GetOrAdd("bank.cash", () => opening.Cash.ToArray());

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case FundingRequest r:
                ctx.Send(from, new FundingReport(r.Date, _cash.ToArray()), 16 + 8 * _cash.Length);
                break;
            case CashPostings p:
                for (int m = 0; m < _cash.Length; m++) _cash[m] += p.NetCash[m];
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state) { }
}
