using Lab.Ledger.Transactions;

namespace Lab.Ledger.Contracts;

/// <summary>Something a contract announced while executing a call that was accepted.</summary>
public sealed record ContractEvent(long Height, TxId Tx, string Contract, string Name, object? Data);
