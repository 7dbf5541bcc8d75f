package dev.darkfactory.operator.contract;

/** Limits both sides of the contract rely on. */
public final class StationLimits {

    /** The kubelet keeps at most this many bytes of a termination message. */
    public static final int TERMINATION_MESSAGE_BYTES = 4096;

    private StationLimits() {}
}
