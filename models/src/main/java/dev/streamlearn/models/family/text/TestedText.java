package dev.streamlearn.models.family.text;

/**
 * A labelled text as the model saw it before learning it ({@link TextClassifierModel#test}).
 *
 * @param predicted the label the model gives the text, or null while it knows none
 * @param probabilityOfActual the probability it gives the text's actual label
 */
public record TestedText(String predicted, double probabilityOfActual) {}
