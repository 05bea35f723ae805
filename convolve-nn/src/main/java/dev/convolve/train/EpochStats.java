package dev.convolve.train;

/**
 * What one epoch measured.
 *
 * @param epoch           1-based
 * @param trainLoss       mean training loss over the epoch's batches
 * @param trainAccuracy   accuracy on the training batches (as they were seen, in training mode)
 * @param testLoss        loss on the test set after the epoch
 * @param testAccuracy    accuracy on the test set after the epoch
 * @param trainSeconds    wall time of the training batches
 * @param imagesPerSecond training images per second
 * @param heapMb          live heap after a full GC at the end of the epoch, in MiB
 * @param rssMb           peak resident set size of the process so far, in MiB (VmHWM; -1 when unknown)
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy, double trainSeconds,
                         double imagesPerSecond, double heapMb, double rssMb) {}
