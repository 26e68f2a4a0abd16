package dev.streamlearn.ingestion.normalize;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A PNG's pixels as an image record holds them: unsigned bytes, row-major, channel-last.
 *
 * <p>Channels follow the PNG's colour type unless asked for: a greyscale PNG (with or without
 * alpha, any bit depth) gives 1 channel, any other (RGB, palette) gives 3. Asked for 1, a colour
 * PNG is turned to grey by luma (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B); asked for 3, a grey
 * one repeats its value in each channel. Alpha is composited over black, the background of MNIST
 * digits, so a transparent pixel reads 0. Grey samples are read from the raster, not through {@code
 * getRGB}, which would pass them through a gamma conversion; 16-bit samples are scaled to 0-255.
 */
public final class PngPixels {
    /** The PNG file signature (PNG specification, 5.2). */
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    static {
        // Decoding in memory: no temporary files for a record's PNG.
        ImageIO.setUseCache(false);
    }

    public final int width;
    public final int height;
    public final int channels;
    public final byte[] pixels;

    private PngPixels(int width, int height, int channels, byte[] pixels) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = pixels;
    }

    /** Why bytes are not a PNG this can read. */
    public static final class NotAPngException extends Exception {
        NotAPngException(String message) {
            super(message);
        }
    }

    /**
     * Decodes {@code png}, refusing one of more than {@code maxValues} pixel values (width x height
     * x channels) before decoding it, so a small file cannot claim a huge image.
     *
     * @param channels 1 or 3 to convert to, or 0 for the PNG's own (1 for grey, else 3)
     */
    public static PngPixels decode(byte[] png, int channels, long maxValues)
            throws NotAPngException {
        if (png.length < SIGNATURE.length
                || !Arrays.equals(Arrays.copyOf(png, SIGNATURE.length), SIGNATURE)) {
            throw new NotAPngException("is not a PNG (it does not start with the PNG signature)");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // The PNG's own channels are known only once decoded: at least one per pixel.
                long values =
                        (long) reader.getWidth(0) * reader.getHeight(0) * Math.max(channels, 1);
                if (values > maxValues) {
                    throw new NotAPngException(
                            "is a "
                                    + reader.getWidth(0)
                                    + "x"
                                    + reader.getHeight(0)
                                    + " PNG, larger than an image record may be ("
                                    + maxValues
                                    + " pixel values)");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new NotAPngException("is a damaged PNG (" + e.getMessage() + ")");
        }
        PngPixels decoded = pixelsOf(image, channels);
        if (decoded.pixels.length > maxValues) {
            throw new NotAPngException(
                    "is a "
                            + decoded.width
                            + "x"
                            + decoded.height
                            + " colour PNG, larger than an image record may be ("
                            + maxValues
                            + " pixel values)");
        }
        return decoded;
    }

    private static PngPixels pixelsOf(BufferedImage image, int channels) {
        ColorModel model = image.getColorModel();
        boolean grey = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int out = channels == 0 ? (grey ? 1 : 3) : channels;
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] pixels = new byte[width * height * out];
        Raster raster = image.getRaster();
        int greyMax = grey ? (1 << model.getComponentSize(0)) - 1 : 0;
        int alphaMax =
                model.hasAlpha()
                        ? (1 << model.getComponentSize(model.getNumComponents() - 1)) - 1
                        : 0;
        int i = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r;
                int g;
                int b;
                double alpha;
                if (grey) {
                    r = g = b = scale(raster.getSample(x, y, 0), greyMax);
                    alpha = model.hasAlpha() ? raster.getSample(x, y, 1) / (double) alphaMax : 1;
                } else {
                    int argb = image.getRGB(x, y);
                    r = (argb >> 16) & 0xff;
                    g = (argb >> 8) & 0xff;
                    b = argb & 0xff;
                    alpha = ((argb >>> 24) & 0xff) / 255.0;
                }
                if (out == 1) {
                    pixels[i++] = (byte) Math.round((grey ? r : luma(r, g, b)) * alpha);
                } else {
                    pixels[i++] = (byte) Math.round(r * alpha);
                    pixels[i++] = (byte) Math.round(g * alpha);
                    pixels[i++] = (byte) Math.round(b * alpha);
                }
            }
        }
        return new PngPixels(width, height, out, pixels);
    }

    private static int scale(int sample, int max) {
        return max == 255 ? sample : (int) Math.round(sample * 255.0 / max);
    }

    private static double luma(int r, int g, int b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }
}
