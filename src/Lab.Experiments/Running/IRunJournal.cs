using Lab.Experiments.Results;

namespace Lab.Experiments.Running;

/// <summary>
/// Where finished runs go the moment they finish, and where runs finished earlier (by an interrupted
/// attempt, or by another worker) come from. A results folder is one (<see cref="ResultFolder"/>);
/// a coordinator that hands runs to workers can be another: the unit is always a <see cref="RunRecord"/>.
/// </summary>
public interface IRunJournal
{
    /// <summary>Whether run <paramref name="run"/> (index in <see cref="Experiment.Runs"/>) has finished already.</summary>
    bool IsFinished(int run);

    /// <summary>Keeps a finished run durably; returns only once it is kept (the run counts as done after that).
    /// Called from worker threads at once; throws when it cannot keep the record (e.g. the disk is full).</summary>
    void Record(int run, RunRecord record);

    /// <summary>A finished run, read back exactly as it was recorded.</summary>
    RunRecord Load(int run);
}
