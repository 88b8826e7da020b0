import { Body, Controller, Delete, Get, HttpCode, Param, ParseEnumPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AppError } from '../../common/app-error';
import { uuidPipe } from '../../common/uuid.pipe';
import { CurrentPrincipal, Principal, RequireOrganiser } from '../../common/principal';
import { Locale, LOCALES } from '../../common/locale';
import { LetterPreviewResponseDto, LetterResponseDto } from './dto/letter-response.dto';
import { LetterTranslationDto } from './dto/letter-translation.dto';
import { PreviewLetterQueryDto } from './dto/preview-letter-query.dto';
import { LettersService } from './letters.service';

const campaignId = uuidPipe('CAMPAIGN_NOT_FOUND');
const localeParam = new ParseEnumPipe(Object.fromEntries(LOCALES.map((l) => [l, l])), {
  exceptionFactory: () => new AppError(404, 'LETTER_LOCALE_UNKNOWN', `Letters are written in ${LOCALES.join(' or ')}.`),
});

@ApiTags('letters')
@ApiBearerAuth()
@RequireOrganiser()
@Controller('api/v1/campaigns/:id/letter')
export class LettersController {
  constructor(private readonly letters: LettersService) {}

  /** The campaign's letter, its translations and the placeholders it may use. */
  @Get()
  get(@CurrentPrincipal() principal: Principal, @Param('id', campaignId) id: string): Promise<LetterResponseDto> {
    return this.letters.get(principal, id);
  }

  /** Sets the letter in another language. */
  @Put('translations/:locale')
  putTranslation(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Param('locale', localeParam) locale: Locale,
    @Body() dto: LetterTranslationDto,
  ): Promise<LetterResponseDto> {
    return this.letters.putTranslation(principal, id, locale, dto);
  }

  @Delete('translations/:locale')
  @HttpCode(204)
  deleteTranslation(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Param('locale', localeParam) locale: Locale,
  ): Promise<void> {
    return this.letters.deleteTranslation(principal, id, locale);
  }

  /**
   * The letter as a target would receive it, for a sample supporter. `locale` is the language it is
   * in; `fellBack` is true when it has no translation in `requestedLocale` and is in the campaign's own.
   */
  @Get('preview')
  preview(
    @CurrentPrincipal() principal: Principal,
    @Param('id', campaignId) id: string,
    @Query() query: PreviewLetterQueryDto,
  ): Promise<LetterPreviewResponseDto> {
    return this.letters.preview(principal, id, query.locale, query.targetId);
  }
}
