package dev.dolly.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A grouped bar chart on a logarithmic axis, drawn with Java2D into a PNG: one group per category (an image size),
 * one bar per series (a method), so that 0.1 s and 100 s fit on one picture.
 */
final class BarChart
{
    private static final Color[] PALETTE = {
            new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3), new Color(0xe7298a),
            new Color(0x66a61e), new Color(0xe6ab02), new Color(0xa6761d), new Color(0x666666)};

    private final String title;
    private final String unit;
    private final List<String> categories;
    private final Map<String, double[]> series = new LinkedHashMap<>();

    BarChart(String title, String unit, List<String> categories)
    {
        this.title = requireNonNull(title, "title is null");
        this.unit = requireNonNull(unit, "unit is null");
        this.categories = List.copyOf(categories);
    }

    /** Adds a series; NaN marks a value that was not measured. */
    BarChart add(String name, double[] values)
    {
        if (values.length != categories.size()) {
            throw new IllegalArgumentException("Series " + name + " has " + values.length + " values for " + categories.size() + " categories");
        }
        series.put(name, values.clone());
        return this;
    }

    void write(Path file)
            throws IOException
    {
        int width = 1060;
        int height = 560;
        int left = 80;
        int right = 280;
        int top = 60;
        int bottom = 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);

        double minimum = Double.MAX_VALUE;
        double maximum = Double.MIN_VALUE;
        for (double[] values : series.values()) {
            for (double value : values) {
                if (!Double.isNaN(value) && value > 0) {
                    minimum = Math.min(minimum, value);
                    maximum = Math.max(maximum, value);
                }
            }
        }
        if (minimum == Double.MAX_VALUE) {
            minimum = 0.01;
            maximum = 1;
        }
        double lowDecade = Math.floor(Math.log10(minimum));
        double highDecade = Math.ceil(Math.log10(maximum));
        if (highDecade == lowDecade) {
            highDecade++;
        }
        int plotHeight = height - top - bottom;
        int plotWidth = width - left - right;

        graphics.setColor(Color.BLACK);
        graphics.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        graphics.drawString(title, left, 35);
        graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics metrics = graphics.getFontMetrics();

        // decades on the logarithmic axis
        for (double decade = lowDecade; decade <= highDecade; decade++) {
            int y = top + plotHeight - (int) Math.round((decade - lowDecade) / (highDecade - lowDecade) * plotHeight);
            graphics.setColor(new Color(0xdddddd));
            graphics.setStroke(new BasicStroke(1));
            graphics.drawLine(left, y, left + plotWidth, y);
            graphics.setColor(Color.DARK_GRAY);
            String label = format(Math.pow(10, decade)) + " " + unit;
            graphics.drawString(label, left - 8 - metrics.stringWidth(label), y + 4);
        }

        int groups = categories.size();
        int bars = Math.max(1, series.size());
        double groupWidth = (double) plotWidth / groups;
        double barWidth = groupWidth * 0.8 / bars;
        int seriesIndex = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            Color color = PALETTE[seriesIndex % PALETTE.length];
            for (int group = 0; group < groups; group++) {
                double value = entry.getValue()[group];
                if (Double.isNaN(value) || value <= 0) {
                    continue;
                }
                double position = Math.max(0, (Math.log10(value) - lowDecade) / (highDecade - lowDecade));
                int barHeight = (int) Math.round(position * plotHeight);
                int x = (int) Math.round(left + group * groupWidth + groupWidth * 0.1 + seriesIndex * barWidth);
                graphics.setColor(color);
                graphics.fillRect(x, top + plotHeight - barHeight, Math.max(1, (int) barWidth - 2), barHeight);
                graphics.setColor(Color.BLACK);
                String label = format(value);
                graphics.drawString(label, x + (int) (barWidth - 2 - metrics.stringWidth(label)) / 2, top + plotHeight - barHeight - 4);
            }
            // legend
            int legendY = top + 20 * seriesIndex;
            graphics.setColor(color);
            graphics.fillRect(width - right + 20, legendY, 14, 14);
            graphics.setColor(Color.BLACK);
            graphics.drawString(entry.getKey(), width - right + 40, legendY + 12);
            seriesIndex++;
        }
        graphics.setColor(Color.BLACK);
        graphics.drawLine(left, top + plotHeight, left + plotWidth, top + plotHeight);
        for (int group = 0; group < groups; group++) {
            String label = categories.get(group);
            int center = (int) Math.round(left + group * groupWidth + groupWidth / 2);
            graphics.drawString(label, center - metrics.stringWidth(label) / 2, top + plotHeight + 20);
        }
        graphics.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static String format(double value)
    {
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value >= 1) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (value >= 0.1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
