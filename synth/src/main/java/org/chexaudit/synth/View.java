package org.chexaudit.synth;

/**
 * One image of a study: a train.csv row. {@code projection} is the AP/PA cell (AP, PA, LL, RL, or
 * blank); {@code width}/{@code height} are the JPEG's size in pixels.
 */
public record View(int number, boolean frontal, String projection, String path, int width,
    int height) {}
