using Lab.Finance.Chain;
using Lab.Ledger.Crypto;

namespace Lab.Experiments.Models;

/// <summary>The consortium chain a finance scenario's on-chain variant runs on, from <c>chain.*</c> and <c>workload.retry-timeout</c>.</summary>
public static class FinanceChain
{
    /// <summary>
    /// The chain <c>chain.protocol</c> names, whichever registered chain protocol it is. Transactions come from the
    /// scenario's institutions, not from signing clients: signatures cost CPU time only.
    /// <paramref name="what"/> says in an error what needs a chain (e.g. "atomic-dvp settles").
    /// </summary>
    public static SettlementChain For(RunContext context, string what)
    {
        var model = context.Protocol as IChainModel
                    ?? throw new ArgumentException($"{what} on a chain protocol; '{context.Protocol?.Name}' is not one");
        var configured = ChainConfig.Chain(context);
        var options = configured with { Signing = new TransactionSigning(SignatureMode.Modelled, configured.Signing.Costs) };
        return new SettlementChain(model.Protocol(context), options)
        {
            RetryTimeout = context.Config.Time("workload.retry-timeout"),
            Byzantine = ChainConfig.Byzantine(context.Config),
        };
    }
}
