package org.chexaudit.pipelines.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One interactive figure: an ECharts option (plain JSON; the page's script turns the named helpers
 * {@code "errorBar"} and {@code "ciTooltip"} into functions) rendered into a div of the given height.
 */
record Chart(String id, int height, ObjectNode option) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The div and its option, as HTML; the option is JSON in a non-executed script element. */
  String html() {
    String json;
    try {
      json = JSON.writeValueAsString(option);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("chart " + id + ": " + e.getMessage(), e);
    }
    return "<div class=\"chart\" id=\"" + HtmlReport.esc(id) + "\" style=\"height:" + height + "px\"></div>"
        + "<script type=\"application/json\" class=\"chart-option\" data-for=\"" + HtmlReport.esc(id) + "\">"
        + json.replace("</", "<\\/") + "</script>\n";
  }
}
