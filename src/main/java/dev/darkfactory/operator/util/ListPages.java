package dev.darkfactory.operator.util;

/**
 * How many objects an informer asks for per page when it lists what it watches. Unpaged, a list is
 * one answer that the client reads whole before the informer keeps (and prunes) a single object: at
 * 10,000 intents the run controller's list of pods, with their managed fields, did not fit the
 * chart's heap, and a restarted operator ran out of memory before its first reconcile (make bench).
 * Pages keep that peak to a page's worth, at the cost of a round trip per page.
 */
public final class ListPages {

    public static final long SIZE = 500;

    private ListPages() {}
}
