using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>A transaction the client now knows is final: when, where, and what the ledger did with it.</summary>
public sealed record Finality(Transaction Tx, long Height, TxOutcome Outcome, SimTime SubmittedAt, SimTime FinalAt, int Attempts)
{
    public Duration Latency => FinalAt - SubmittedAt;
}
