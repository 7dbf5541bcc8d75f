package dev.darkfactory.operator.station.generate;

/** How much a generated file tree may hold. */
record TreeLimits(int maxFiles, int maxFileBytes, long maxTotalBytes) {}
